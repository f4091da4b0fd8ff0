package io.turbovbi.mrf;

/**
 * The support grid of one layer (DESIGN 1): the rows x cols lattice the MRF lives on, and the map between a weight's
 * index in the layer's flat weight array and its grid node (node = row * cols + col). Module B takes and returns
 * arrays in weight order; the grid order is internal.
 * <ul>
 * <li>dense [out x in], row-major (index i * in + j): grid row i, column j (the identity map);</li>
 * <li>conv [Cout][Cin][k][k] (index ((o * Cin + c) * k + ky) * k + kx): a (Cout k) x (Cin k) grid of k x k tiles,
 * grid row o * k + ky, column c * k + kx.</li>
 * </ul>
 */
public final class SupportGrid {

  private final String name;
  private final int rows;
  private final int cols;
  /** Grid node of each weight, or null for the identity map. */
  private final int[] nodeOfWeight;
  /** Weight of each grid node, or null for the identity map. */
  private final int[] weightOfNode;

  private SupportGrid(String name, int rows, int cols, int[] nodeOfWeight, int[] weightOfNode) {
    this.name = name;
    this.rows = rows;
    this.cols = cols;
    this.nodeOfWeight = nodeOfWeight;
    this.weightOfNode = weightOfNode;
  }

  /** The grid of a dense weight matrix [out x in] stored row-major: row i holds neuron i's incoming weights. */
  public static SupportGrid dense(int out, int in) {
    requirePositive("out", out);
    requirePositive("in", in);
    requireFits((long) out * in);
    return new SupportGrid("dense " + out + "x" + in, out, in, null, null);
  }

  /** The tiled grid of a conv kernel [Cout][Cin][k][k] stored row-major. */
  public static SupportGrid conv(int outChannels, int inChannels, int kernel) {
    requirePositive("outChannels", outChannels);
    requirePositive("inChannels", inChannels);
    requirePositive("kernel", kernel);
    int rows = outChannels * kernel;
    int cols = inChannels * kernel;
    requireFits((long) rows * cols);
    int[] nodeOfWeight = new int[rows * cols];
    int[] weightOfNode = new int[rows * cols];
    int weight = 0;
    for (int o = 0; o < outChannels; o++) {
      for (int c = 0; c < inChannels; c++) {
        for (int ky = 0; ky < kernel; ky++) {
          for (int kx = 0; kx < kernel; kx++) {
            int node = (o * kernel + ky) * cols + c * kernel + kx;
            nodeOfWeight[weight] = node;
            weightOfNode[node] = weight;
            weight++;
          }
        }
      }
    }
    String name = "conv " + outChannels + "x" + inChannels + "x" + kernel + "x" + kernel;
    return new SupportGrid(name, rows, cols, nodeOfWeight, weightOfNode);
  }

  public String name() {
    return name;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of weights, equal to the number of grid nodes. */
  public int size() {
    return rows * cols;
  }

  /** Directed messages of one loopy-BP sweep: two per edge, 2 (rows (cols - 1) + (rows - 1) cols). */
  public long directedMessagesPerSweep() {
    return 2L * ((long) rows * (cols - 1) + (long) (rows - 1) * cols);
  }

  public int nodeOf(int weight) {
    return nodeOfWeight == null ? weight : nodeOfWeight[weight];
  }

  public int weightOf(int node) {
    return weightOfNode == null ? node : weightOfNode[node];
  }

  @Override
  public String toString() {
    return name + " (grid " + rows + "x" + cols + ")";
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  private static void requireFits(long nodes) {
    if (nodes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a support grid holds at most " + Integer.MAX_VALUE
          + " nodes, got " + nodes);
    }
  }
}
