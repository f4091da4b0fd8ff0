package io.turbovbi.mrf;

import java.util.Arrays;

/**
 * Sum-product on a {@link SupportGraph} in log-odds (DESIGN 2, Module B): exact on the connected components that
 * are trees (one pass from the leaves to a root and one back), damped loopy BP with a flooding schedule on the
 * others. After Xia, Tsang and Lau, arXiv 2302.10483.
 *
 * <p>State: two flat arrays of message log-odds per edge (into its second endpoint, into its first), clipped to
 * +-{@link LogOdds#CLIP}. A message from a node with cavity log-odds x through the factor psi is, with c = exp(x),
 * log[(psi01 + psi11 c) / (psi00 + psi10 c)] towards the second endpoint and log[(psi10 + psi11 c) /
 * (psi00 + psi01 c)] towards the first. Totals are kept in log-odds because a gate variable can have thousands of
 * neighbours, whose product of odds would overflow.
 */
final class GraphBeliefPropagation {

  private final SupportGraph graph;
  private final double damping;
  /** Message log-odds per edge: into edgeB (from edgeA), into edgeA (from edgeB). */
  private final double[] toB;
  private final double[] toA;
  private final double[] total;
  /** Edges of the components with cycles. */
  private final int[] loopyEdges;
  /** Variables of the tree components in breadth-first order from each component's root. */
  private final int[] treeOrder;
  /** Edge to the parent of a tree variable (-1 at a root and off the trees). */
  private final int[] parentEdge;
  private final double[] accumulated;

  GraphBeliefPropagation(SupportGraph graph, double damping) {
    this.graph = graph;
    this.damping = damping;
    int n = graph.variables;
    int m = graph.edges();
    this.toB = new double[m];
    this.toA = new double[m];
    this.total = new double[n];
    this.accumulated = new double[n];
    this.parentEdge = new int[n];
    // DESIGN 2, Module B: a component is a tree iff it has one edge fewer than it has variables
    int[] root = new int[n];
    for (int v = 0; v < n; v++) {
      root[v] = v;
    }
    for (int e = 0; e < m; e++) {
      int ra = find(root, graph.edgeA[e]);
      int rb = find(root, graph.edgeB[e]);
      if (ra != rb) {
        root[ra] = rb;
      }
    }
    int[] nodes = new int[n];
    int[] edgesIn = new int[n];
    for (int v = 0; v < n; v++) {
      nodes[find(root, v)]++;
    }
    for (int e = 0; e < m; e++) {
      edgesIn[find(root, graph.edgeA[e])]++;
    }
    int loopy = 0;
    for (int e = 0; e < m; e++) {
      int r = find(root, graph.edgeA[e]);
      if (edgesIn[r] != nodes[r] - 1) {
        loopy++;
      }
    }
    this.loopyEdges = new int[loopy];
    loopy = 0;
    for (int e = 0; e < m; e++) {
      int r = find(root, graph.edgeA[e]);
      if (edgesIn[r] != nodes[r] - 1) {
        loopyEdges[loopy++] = e;
      }
    }
    this.treeOrder = breadthFirstTrees(graph, root, nodes, edgesIn, parentEdge);
  }

  private static int find(int[] root, int v) {
    while (root[v] != v) {
      root[v] = root[root[v]];
      v = root[v];
    }
    return v;
  }

  /** Breadth-first order of the tree components' variables, each from its smallest variable; sets parentEdge. */
  private static int[] breadthFirstTrees(SupportGraph graph, int[] root, int[] nodes, int[] edgesIn,
                                         int[] parentEdge) {
    int n = graph.variables;
    int m = graph.edges();
    int[] start = new int[n + 1];
    for (int e = 0; e < m; e++) {
      start[graph.edgeA[e] + 1]++;
      start[graph.edgeB[e] + 1]++;
    }
    for (int v = 0; v < n; v++) {
      start[v + 1] += start[v];
    }
    int[] incident = new int[2 * m];
    int[] fill = Arrays.copyOf(start, n);
    for (int e = 0; e < m; e++) {
      incident[fill[graph.edgeA[e]]++] = e;
      incident[fill[graph.edgeB[e]]++] = e;
    }
    Arrays.fill(parentEdge, -1);
    boolean[] seen = new boolean[n];
    int count = 0;
    for (int v = 0; v < n; v++) {
      int r = find(root, v);
      if (edgesIn[r] == nodes[r] - 1) {
        count++;
      }
    }
    int[] order = new int[count];
    int head = 0;
    int tail = 0;
    for (int v = 0; v < n; v++) {
      int r = find(root, v);
      if (seen[v] || edgesIn[r] != nodes[r] - 1) {
        continue;
      }
      seen[v] = true;
      order[tail++] = v;
      while (head < tail) {
        int u = order[head++];
        for (int i = start[u]; i < start[u + 1]; i++) {
          int e = incident[i];
          int w = graph.edgeA[e] == u ? graph.edgeB[e] : graph.edgeA[e];
          if (!seen[w]) {
            seen[w] = true;
            parentEdge[w] = e;
            order[tail++] = w;
          }
        }
      }
    }
    return order;
  }

  /** Cold start: every message at log-odds 0. */
  void reset() {
    Arrays.fill(toB, 0.0);
    Arrays.fill(toA, 0.0);
  }

  /**
   * Exact passes on the trees, then loopy sweeps from the current messages until the largest message change is
   * below tolerance or maxSweeps is reached.
   *
   * @param local per variable, the prior field plus the unary evidence (log-odds)
   */
  MessagePassingReport run(double[] local, int maxSweeps, double tolerance) {
    treePasses(local);
    if (loopyEdges.length == 0) {
      return MessagePassingReport.exact(1);
    }
    double change = Double.POSITIVE_INFINITY;
    for (int sweep = 1; sweep <= maxSweeps; sweep++) {
      change = floodingSweep(local);
      if (change < tolerance) {
        return new MessagePassingReport(sweep, true, change);
      }
    }
    return new MessagePassingReport(maxSweeps, false, change);
  }

  private void treePasses(double[] local) {
    for (int v : treeOrder) {
      accumulated[v] = local[v];
    }
    // leaves to roots: a variable's message to its parent from its local term and its children's messages
    for (int i = treeOrder.length - 1; i >= 0; i--) {
      int v = treeOrder[i];
      int e = parentEdge[v];
      if (e < 0) {
        continue;
      }
      if (graph.edgeA[e] == v) {
        toB[e] = towardsB(e, accumulated[v]);
        accumulated[graph.edgeB[e]] += toB[e];
      } else {
        toA[e] = towardsA(e, accumulated[v]);
        accumulated[graph.edgeA[e]] += toA[e];
      }
    }
    // roots to leaves: total[v] is then the exact belief log-odds
    for (int v : treeOrder) {
      int e = parentEdge[v];
      if (e < 0) {
        total[v] = accumulated[v];
      } else if (graph.edgeA[e] == v) {
        toA[e] = towardsA(e, total[graph.edgeB[e]] - toB[e]);
        total[v] = accumulated[v] + toA[e];
      } else {
        toB[e] = towardsB(e, total[graph.edgeA[e]] - toA[e]);
        total[v] = accumulated[v] + toB[e];
      }
    }
  }

  /** One damped flooding sweep over the loopy edges; returns the largest absolute change of a message. */
  private double floodingSweep(double[] local) {
    for (int e : loopyEdges) {
      total[graph.edgeA[e]] = local[graph.edgeA[e]];
      total[graph.edgeB[e]] = local[graph.edgeB[e]];
    }
    for (int e : loopyEdges) {
      total[graph.edgeA[e]] += toA[e];
      total[graph.edgeB[e]] += toB[e];
    }
    double change = 0;
    double keep = damping;
    double take = 1.0 - damping;
    for (int e : loopyEdges) {
      int a = graph.edgeA[e];
      int b = graph.edgeB[e];
      double newToB = keep * toB[e] + take * towardsB(e, total[a] - toA[e]);
      double newToA = keep * toA[e] + take * towardsA(e, total[b] - toB[e]);
      change = Math.max(change, Math.max(Math.abs(newToB - toB[e]), Math.abs(newToA - toA[e])));
      toB[e] = newToB;
      toA[e] = newToA;
    }
    return change;
  }

  private double towardsB(int e, double cavity) {
    int f = 4 * graph.edgeFactor[e];
    double c = Math.exp(LogOdds.clip(cavity));
    double[] psi = graph.factors;
    return LogOdds.clip(Math.log((psi[f + 1] + psi[f + 3] * c) / (psi[f] + psi[f + 2] * c)));
  }

  private double towardsA(int e, double cavity) {
    int f = 4 * graph.edgeFactor[e];
    double c = Math.exp(LogOdds.clip(cavity));
    double[] psi = graph.factors;
    return LogOdds.clip(Math.log((psi[f + 2] + psi[f + 3] * c) / (psi[f] + psi[f + 1] * c)));
  }

  /** Sum of the message log-odds into each variable (its belief log-odds minus its local term), into out. */
  void incoming(double[] out) {
    Arrays.fill(out, 0.0);
    for (int e = 0; e < toB.length; e++) {
      out[graph.edgeB[e]] += toB[e];
      out[graph.edgeA[e]] += toA[e];
    }
  }

  /** The messages, laid out [into second endpoints | into first endpoints] in edge order. */
  double[] messageLogOdds() {
    double[] out = new double[2 * toB.length];
    System.arraycopy(toB, 0, out, 0, toB.length);
    System.arraycopy(toA, 0, out, toB.length, toA.length);
    return out;
  }

  /** Restores messages saved by {@link #messageLogOdds()}. */
  void restoreMessages(double[] logOdds) {
    if (logOdds.length != 2 * toB.length) {
      throw new IllegalArgumentException("expected " + 2 * toB.length + " message log-odds, got " + logOdds.length);
    }
    for (int e = 0; e < toB.length; e++) {
      toB[e] = LogOdds.clip(logOdds[e]);
      toA[e] = LogOdds.clip(logOdds[toB.length + e]);
    }
  }

  /** Directed messages of one sweep over every edge. */
  long directedMessagesPerSweep() {
    return 2L * toB.length;
  }
}
