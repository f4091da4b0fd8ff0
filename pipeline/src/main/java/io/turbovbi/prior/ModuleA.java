package io.turbovbi.prior;

/**
 * Module A of Turbo-VBI for one layer (DESIGN 2; Xia, Tsang and Lau, "Structured Bayesian Compression for Deep
 * Neural Networks Based on the Turbo-VBI Approach", IEEE TSP 71 (2023), arXiv 2302.10483): variational Bayes on
 * (w, rho, s) with the prior on s replaced by prod Bern(pi_n) from Module B. The w-step (stochastic gradient on the
 * network) is not here; Module A sees the weights only through E[w_n^2] = mu_n^2 + sigma_n^2
 * ({@link #secondMoment}). All arrays are flat, one entry per weight, in the layer's weight order; outputs are
 * written into caller-owned arrays. Instances hold per-layer state and are not thread-safe.
 *
 * <p>Order of calls for one layer (pi0 = Module B's zero-evidence marginal):
 * <ol>
 * <li>start: pi = pi0; the first w-step uses {@link GammaMixturePrior#mixturePrecision}(pi0) for every weight;</li>
 * <li>after the warm-up w-steps, refresh q(rho) from the warm weights: {@code rhoStep(ew2, pit = pi0, erho)};</li>
 * <li>each outer iteration: {@code logLikelihoodRatio(ew2, llr)}, Module B turns llr into pi,
 * {@code sStep(pi, llr, pit)}, {@code rhoStep(ew2, pit, erho)}, then the w-step with E[rho] = erho gives a new
 * ew2;</li>
 * <li>after the last w-step: {@code logLikelihoodRatio}, Module B and {@code sStep} once more; the mask is
 * pit &gt; 0.5.</li>
 * </ol>
 * The s-step uses the same LLR_A that Module B received, so pi is extrinsic to it.
 */
public interface ModuleA {

  /**
   * Module A for a layer of {@code size} weights.
   *
   * @param initialShare pi0, the zero-evidence active share; meanfield starts q(rho) from it (see
   *                     {@link MeanFieldModuleA}), collapsed keeps no q(rho) state and ignores it
   */
  static ModuleA create(Factorisation factorisation, GammaMixturePrior prior, int size, double initialShare) {
    return switch (factorisation) {
      case COLLAPSED -> new CollapsedModuleA(prior, size);
      case MEANFIELD -> new MeanFieldModuleA(prior, size, initialShare);
    };
  }

  /** E[w_n^2] = mu_n^2 + sigma_n^2 of q(w_n) = N(mu_n, sigma_n^2), in double (DESIGN 2). */
  static void secondMoment(float[] mu, float[] sigma2, double[] out) {
    ModuleAInputs.requireLength("sigma2", sigma2.length, mu.length);
    ModuleAInputs.requireLength("out", out.length, mu.length);
    for (int n = 0; n < mu.length; n++) {
      double m = mu[n];
      out[n] = m * m + sigma2[n];
    }
  }

  /** Number of weights of the layer. */
  int size();

  /**
   * LLR_A,n, the log-likelihood ratio ln p(. | s_n = 1) - ln p(. | s_n = 0) that Module A sends to Module B,
   * clipped to +-30.
   *
   * @param secondMoment E[w_n^2] (collapsed reads it; meanfield reads its q(rho) of the last rho-step instead)
   */
  void logLikelihoodRatio(double[] secondMoment, double[] llrOut);

  /**
   * s-step (DESIGN 2): q(s_n) = Bern(pit_n), logit(pit_n) = logit(pi_n) + LLR_A,n, clipped to +-30. The same for
   * both factorisations.
   */
  default void sStep(double[] pi, double[] llr, double[] pitOut) {
    sStep(pi, llr, 0, pitOut);
  }

  /**
   * The evidence logit(pi_n) + LLR_A,n on which the s-step and the compression controller act: with offset beta,
   * weight n is active (pit &gt; 0.5) iff evidence_n + beta &gt; 0.
   */
  default void evidence(double[] pi, double[] llr, double[] evidenceOut) {
    ModuleAInputs.requireProbabilities("pi", pi, size());
    ModuleAInputs.requireLength("llr", llr.length, size());
    ModuleAInputs.requireLength("evidenceOut", evidenceOut.length, size());
    for (int n = 0; n < pi.length; n++) {
      evidenceOut[n] = LogOdds.logit(pi[n]) + llr[n];
    }
  }

  /**
   * The s-step with the compression controller's log-odds offset added to every prior log-odds (DESIGN 2,
   * compression control): logit(pit_n) = logit(pi_n) + LLR_A,n + offset.
   */
  default void sStep(double[] pi, double[] llr, double offset, double[] pitOut) {
    ModuleAInputs.requireProbabilities("pi", pi, size());
    ModuleAInputs.requireLength("llr", llr.length, size());
    ModuleAInputs.requireLength("pitOut", pitOut.length, size());
    if (!Double.isFinite(offset)) {
      throw new IllegalArgumentException("the log-odds offset must be finite, got " + offset);
    }
    for (int n = 0; n < pi.length; n++) {
      // DESIGN 2, s-step
      pitOut[n] = LogOdds.sigmoid(LogOdds.clip(LogOdds.logit(pi[n]) + llr[n] + offset));
    }
  }

  /**
   * rho-step (DESIGN 2): updates q(rho) from E[w^2] and pit and writes E[rho_n], the precision of the next
   * w-step's KL term.
   */
  void rhoStep(double[] secondMoment, double[] pit, double[] expectedPrecisionOut);

  /** The state this Module A carries between iterations, for a checkpoint (none for collapsed). */
  default double[][] state() {
    return new double[0][];
  }

  /** Restores what {@link #state()} returned, on a Module A of the same factorisation and size. */
  default void restoreState(double[][] state) {
    if (state.length != 0) {
      throw new IllegalArgumentException("this Module A keeps no state, got " + state.length + " arrays");
    }
  }
}
