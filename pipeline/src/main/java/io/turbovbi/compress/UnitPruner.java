package io.turbovbi.compress;

import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.DenseLayer;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.ReluLayer;
import io.turbovbi.nn.WeightShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Removes dead units from a masked network, so that it becomes a smaller dense network with the same outputs
 * (DESIGN 2, final mask): a neuron or filter whose outgoing weights are all zero is never read and goes; one whose
 * incoming weights are all zero outputs a constant, which is folded into the next layer's biases before it goes
 * (only where that is exact: not into a convolution with zero padding, unless the constant is zero). Input channels
 * of a convolution that no filter reads are the previous layer's unread filters. Repeats until nothing more dies; the
 * last unit of a layer always stays.
 */
public final class UnitPruner {
  private UnitPruner() {}

  /** The smaller network and, per weight layer, which of the original output units it kept. */
  public record Result(MeanNetwork network, int[][] keptUnits) {}

  public static Result prune(MeanNetwork masked) {
    float[] params = masked.params().clone();
    boolean[][] alive = removeDeadUnits(masked.network(), params);
    return new Result(rebuild(masked, params, alive, masked.network().weightShapes().toArray(new WeightShape[0])),
        kept(alive));
  }

  /**
   * Per weight layer, the weights of {@code masks} that unit removal leaves, for any weights and biases: masked
   * weights count as non-zero, biases as non-zero (so a unit with no incoming weights folds into a next
   * convolution only without padding, as {@link #prune} does for a non-zero constant).
   */
  public static boolean[][] survivingWeights(Network network, boolean[][] masks) {
    float[] params = new float[network.parameterCount()];
    int[] layers = network.weightLayers();
    if (masks.length != layers.length) {
      throw new IllegalArgumentException(masks.length + " masks for " + layers.length + " weight layers");
    }
    for (int k = 0; k < layers.length; k++) {
      ParamBlock weights = network.block(layers[k], ParamKind.WEIGHT);
      ParamBlock bias = network.block(layers[k], ParamKind.BIAS);
      for (int n = 0; n < weights.length(); n++) {
        params[weights.offset() + n] = masks[k][n] ? 1f : 0f;
      }
      Arrays.fill(params, bias.offset(), bias.offset() + bias.length(), 1f);
    }
    removeDeadUnits(network, params);
    return MeanNetwork.nonZeros(network, params);
  }

  /** Zeroes the weights of dead units in {@code params} until nothing more dies; returns which units live. */
  private static boolean[][] removeDeadUnits(Network network, float[] params) {
    int[] weightLayers = network.weightLayers();
    int count = weightLayers.length;
    WeightShape[] shapes = network.weightShapes().toArray(new WeightShape[0]);
    boolean[][] alive = new boolean[count][];
    for (int k = 0; k < count; k++) {
      alive[k] = new boolean[shapes[k].outputs()];
      Arrays.fill(alive[k], true);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = 0; k + 1 < count; k++) {
        Link link = new Link(network, params, weightLayers, shapes, k);
        for (int u = 0; u < alive[k].length; u++) {
          if (!alive[k][u] || aliveCount(alive[k]) == 1) {
            continue;
          }
          if (link.unread(u)) {
            link.remove(u, 0f);
          } else if (link.constant(u)) {
            float value = link.constantValue(u);
            if (!link.foldable(value)) {
              continue;
            }
            link.remove(u, value);
          } else {
            continue;
          }
          alive[k][u] = false;
          changed = true;
        }
      }
    }
    return alive;
  }

  /** A weight layer, the next one, and how the units of the first feed the second. */
  private static final class Link {
    final float[] params;
    final ParamBlock weights;
    final ParamBlock bias;
    final ParamBlock nextWeights;
    final ParamBlock nextBias;
    final int rowLength;
    final int nextOutputs;
    final int nextRowLength;
    /** Consumer inputs per producer unit: 1 dense-to-dense, H*W after a flatten, k*k into a convolution. */
    final int span;
    /** Distance between the spans of consecutive producer units inside a consumer row. */
    final int spanStride;
    final boolean relu;
    final boolean paddedConsumer;

    Link(Network network, float[] params, int[] weightLayers, WeightShape[] shapes, int k) {
      this.params = params;
      int layer = weightLayers[k];
      int next = weightLayers[k + 1];
      weights = network.block(layer, ParamKind.WEIGHT);
      bias = network.block(layer, ParamKind.BIAS);
      nextWeights = network.block(next, ParamKind.WEIGHT);
      nextBias = network.block(next, ParamKind.BIAS);
      rowLength = weights.length() / shapes[k].outputs();
      nextOutputs = shapes[k + 1].outputs();
      nextRowLength = nextWeights.length() / nextOutputs;
      Layer consumer = network.layers().get(next);
      int kernelArea = shapes[k + 1].kernel() * shapes[k + 1].kernel();
      if (consumer instanceof Conv2DLayer conv) {
        span = kernelArea;
        spanStride = kernelArea;
        paddedConsumer = conv.geometry().padding() > 0;
      } else {
        span = ((DenseLayer) consumer).inputSize() / shapes[k].outputs();
        spanStride = span;
        paddedConsumer = false;
      }
      boolean foundRelu = false;
      for (int i = layer + 1; i < next; i++) {
        foundRelu |= network.layers().get(i) instanceof ReluLayer;
      }
      relu = foundRelu;
    }

    boolean unread(int u) {
      for (int o = 0; o < nextOutputs; o++) {
        int start = nextWeights.offset() + o * nextRowLength + u * spanStride;
        for (int i = start; i < start + span; i++) {
          if (params[i] != 0f) {
            return false;
          }
        }
      }
      return true;
    }

    boolean constant(int u) {
      int start = weights.offset() + u * rowLength;
      for (int i = start; i < start + rowLength; i++) {
        if (params[i] != 0f) {
          return false;
        }
      }
      return true;
    }

    /** What a unit with no incoming weights outputs everywhere: its bias, through ReLU (pooling keeps it). */
    float constantValue(int u) {
      float value = params[bias.offset() + u];
      return relu ? Math.max(0f, value) : value;
    }

    boolean foldable(float value) {
      return value == 0f || !paddedConsumer;
    }

    /** Adds the unit's constant contribution to the next biases, then deletes the unit's outgoing weights. */
    void remove(int u, float value) {
      for (int o = 0; o < nextOutputs; o++) {
        int start = nextWeights.offset() + o * nextRowLength + u * spanStride;
        double contribution = 0;
        for (int i = start; i < start + span; i++) {
          contribution += params[i];
          params[i] = 0f;
        }
        params[nextBias.offset() + o] += (float) (value * contribution);
      }
      Arrays.fill(params, weights.offset() + u * rowLength, weights.offset() + (u + 1) * rowLength, 0f);
      params[bias.offset() + u] = 0f;
    }
  }

  private static int aliveCount(boolean[] alive) {
    int n = 0;
    for (boolean a : alive) {
      n += a ? 1 : 0;
    }
    return n;
  }

  private static int[][] kept(boolean[][] alive) {
    int[][] kept = new int[alive.length][];
    for (int k = 0; k < alive.length; k++) {
      List<Integer> units = new ArrayList<>();
      for (int u = 0; u < alive[k].length; u++) {
        if (alive[k][u]) {
          units.add(u);
        }
      }
      kept[k] = units.stream().mapToInt(Integer::intValue).toArray();
    }
    return kept;
  }

  /** The smaller network holding the surviving weights. */
  private static MeanNetwork rebuild(MeanNetwork original, float[] params, boolean[][] alive, WeightShape[] shapes) {
    int[][] kept = kept(alive);
    int[] units = Arrays.stream(kept).mapToInt(k -> k.length).toArray();
    Network old = original.network();
    var spec = original.spec().withUnits(units);
    Network smaller = spec.build(old.channels(), old.height(), old.width(), old.classes(),
        LayerFactory.DETERMINISTIC);
    float[] newParams = new float[smaller.parameterCount()];
    int[] oldLayers = old.weightLayers();
    int[] newLayers = smaller.weightLayers();
    for (int k = 0; k < oldLayers.length; k++) {
      ParamBlock from = old.block(oldLayers[k], ParamKind.WEIGHT);
      ParamBlock to = smaller.block(newLayers[k], ParamKind.WEIGHT);
      ParamBlock fromBias = old.block(oldLayers[k], ParamKind.BIAS);
      ParamBlock toBias = smaller.block(newLayers[k], ParamKind.BIAS);
      int oldRow = from.length() / shapes[k].outputs();
      int newRow = to.length() / units[k];
      int[] inputs = inputsKept(k, kept, shapes, oldRow);
      for (int o = 0; o < units[k]; o++) {
        int source = from.offset() + kept[k][o] * oldRow;
        int target = to.offset() + o * newRow;
        for (int i = 0; i < inputs.length; i++) {
          newParams[target + i] = params[source + inputs[i]];
        }
        newParams[toBias.offset() + o] = params[fromBias.offset() + kept[k][o]];
      }
    }
    return new MeanNetwork(spec, smaller, newParams);
  }

  /** Positions within an old row of layer k that the smaller network keeps: those fed by surviving units. */
  private static int[] inputsKept(int k, int[][] kept, WeightShape[] shapes, int oldRow) {
    if (k == 0) {
      int[] all = new int[oldRow];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int span = oldRow / shapes[k - 1].outputs();
    int[] inputs = new int[kept[k - 1].length * span];
    int n = 0;
    for (int unit : kept[k - 1]) {
      for (int s = 0; s < span; s++) {
        inputs[n++] = unit * span + s;
      }
    }
    return inputs;
  }
}
