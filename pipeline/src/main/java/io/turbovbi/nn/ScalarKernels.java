package io.turbovbi.nn;

/**
 * The scalar form of {@link Kernels}, and the definition of its arithmetic: {@link VectorKernels} repeats these
 * operations lane by lane. Java never fuses a multiply and an add, so the two forms round alike.
 */
final class ScalarKernels implements Kernels.Impl {
  // exp: Cephes expf (S. L. Moshier, Cephes Math Library 2.8): x = n ln 2 + r, |r| <= ln(2)/2, e^r by a minimax
  // polynomial, 2^n put into the exponent bits. n is rounded by adding ROUNDER, which leaves it in the low bits.
  static final float EXP_MIN = -87.3f;
  static final float EXP_MAX = 88.7f;
  static final float LOG2_E = 1.44269504088896341f;
  static final float ROUNDER = 12582912f;
  static final int ROUNDER_BITS = 0x4B400000;
  static final float LN2_HIGH = 0.693359375f;
  static final float LN2_LOW = -2.12194440e-4f;
  static final float EXP_P0 = 1.9875691500e-4f;
  static final float EXP_P1 = 1.3981999507e-3f;
  static final float EXP_P2 = 8.3334519073e-3f;
  static final float EXP_P3 = 4.1665795894e-2f;
  static final float EXP_P4 = 1.6666665459e-1f;
  static final float EXP_P5 = 5.0000001201e-1f;

  // log: musl's logf (from FreeBSD's e_logf.c): x = 2^k (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)), then
  // log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f).
  static final int SQRT_HALF_BITS = 0x3f3504f3;
  static final int ONE_BITS = 0x3f800000;
  static final float LOG_LG1 = 0.66666662693f;
  static final float LOG_LG2 = 0.40000972152f;
  static final float LOG_LG3 = 0.28498786688f;
  static final float LOG_LG4 = 0.24279078841f;
  static final float LN2_HI = 6.9313812256e-01f;
  static final float LN2_LO = 9.0580006145e-06f;

  // sin and cos on [-pi/4, pi/4]: Cephes sinf and cosf polynomials.
  static final float SIN_P0 = -1.9515295891e-4f;
  static final float SIN_P1 = 8.3321608736e-3f;
  static final float SIN_P2 = -1.6666654611e-1f;
  static final float COS_P0 = 2.443315711809948e-5f;
  static final float COS_P1 = -1.388731625493765e-3f;
  static final float COS_P2 = 4.166664568298827e-2f;

  // Integers below 2^23 become floats without a conversion (which has no vector form in every JVM): put them in
  // the mantissa of 2^23 and subtract 2^23.
  static final int INTEGER_BITS = 0x4B000000;
  static final float INTEGER = 8388608f;

  // Box-Muller: 23 random bits give u1 in (0, 1] (as 2 - [1, 2)); the angle takes 2 bits for its quadrant and 21
  // for its place.
  static final float QUARTER_TURN_PER_STEP = (float) (Math.PI / 2 / (1 << 21));
  static final float EIGHTH_TURN = (float) (Math.PI / 4);
  static final int LOWBIAS_M1 = 0x7feb352d;
  static final int LOWBIAS_M2 = 0x846ca68b;

  @Override
  public void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int length) {
    for (int i = 0; i < length; i++) {
      y[yOffset + i] += a * x[xOffset + i];
    }
  }

  @Override
  public void exp(float[] source, int sourceOffset, float[] target, int targetOffset, int length) {
    for (int i = 0; i < length; i++) {
      target[targetOffset + i] = exp(source[sourceOffset + i]);
    }
  }

  @Override
  public void gaussian(long key, int first, float[] target, int offset, int count) {
    for (int i = 0; i < count; i++) {
      target[offset + i] = gaussian(key, first + i);
    }
  }

  static float exp(float x) {
    x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    float shifted = x * LOG2_E + ROUNDER;
    float n = shifted - ROUNDER;
    float r = x - n * LN2_HIGH - n * LN2_LOW;
    float p = EXP_P0 * r + EXP_P1;
    p = p * r + EXP_P2;
    p = p * r + EXP_P3;
    p = p * r + EXP_P4;
    p = p * r + EXP_P5;
    p = p * (r * r) + r + 1f;
    int scale = (Float.floatToRawIntBits(shifted) - ROUNDER_BITS) << 23;
    return Float.intBitsToFloat(Float.floatToRawIntBits(p) + scale);
  }

  /** Natural log of a positive normal float. */
  static float log(float x) {
    int bits = Float.floatToRawIntBits(x) + (ONE_BITS - SQRT_HALF_BITS);
    float k = Float.intBitsToFloat((bits >> 23) + INTEGER_BITS) - (INTEGER + 127);
    float f = Float.intBitsToFloat((bits & 0x007fffff) + SQRT_HALF_BITS) - 1f;
    float s = f / (2f + f);
    float z = s * s;
    float w = z * z;
    float t1 = w * (LOG_LG2 + w * LOG_LG4);
    float t2 = z * (LOG_LG1 + w * LOG_LG3);
    float halfSquare = 0.5f * f * f;
    return s * (halfSquare + (t2 + t1)) + k * LN2_LO - halfSquare + f + k * LN2_HI;
  }

  /** Chris Wellons' lowbias32, a bijective integer hash with low bias. */
  static int lowbias(int x) {
    x ^= x >>> 16;
    x *= LOWBIAS_M1;
    x ^= x >>> 15;
    x *= LOWBIAS_M2;
    return x ^ (x >>> 16);
  }

  /**
   * 32 random bits number c of the stream key: three rounds of the hash with the two halves of the key between
   * them. The counter is hashed before the key joins, so no two keys give streams that are shifts of each other.
   */
  static int bits(long key, int c) {
    return lowbias(lowbias(lowbias(c) + (int) key) ^ (int) (key >>> 32));
  }

  /**
   * Draw i of stream {@code key}: the cosine half of Box-Muller (G. E. P. Box and M. E. Muller, Ann. Math. Stat.
   * 29, 1958), {@code sqrt(-2 ln u1) cos(theta)}, with u1 and theta from the hashes of counters 2i and 2i + 1.
   * theta = q pi/2 + phi with the quadrant q from 2 bits and phi in [-pi/4, pi/4), so one sine or cosine
   * polynomial on a short interval serves. |draw| <= sqrt(46 ln 2) = 5.65.
   */
  static float gaussian(long key, int i) {
    int a = bits(key, 2 * i);
    int b = bits(key, 2 * i + 1);
    float u1 = 2f - Float.intBitsToFloat((a >>> 9) | ONE_BITS);
    float radius = (float) Math.sqrt(-2f * log(u1));
    float phi = (Float.intBitsToFloat(((b >>> 9) & 0x1fffff) + INTEGER_BITS) - INTEGER) * QUARTER_TURN_PER_STEP
        - EIGHTH_TURN;
    float z = phi * phi;
    float sin = ((SIN_P0 * z + SIN_P1) * z + SIN_P2) * z * phi + phi;
    float cos = ((COS_P0 * z + COS_P1) * z + COS_P2) * (z * z) - 0.5f * z + 1f;
    int quadrant = b >>> 30;
    // cos(q pi/2 + phi) = cos phi, -sin phi, -cos phi, sin phi for q = 0, 1, 2, 3: pick by bits, flip the sign bit.
    int cosBits = Float.floatToRawIntBits(cos);
    int magnitude = cosBits ^ ((cosBits ^ Float.floatToRawIntBits(sin)) & -(quadrant & 1));
    int sign = ((quadrant + 1) & 2) << 30;
    return Float.intBitsToFloat(Float.floatToRawIntBits(radius * Float.intBitsToFloat(magnitude)) ^ sign);
  }
}
