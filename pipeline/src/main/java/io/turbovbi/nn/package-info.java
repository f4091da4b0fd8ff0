/**
 * The neural-network engine: flat float tensors, layers (dense, convolution, pooling, ReLU, flatten), softmax
 * cross-entropy, optimisers, and batch-parallel gradient computation through the BLAS facade Spark brings.
 */
package io.turbovbi.nn;
