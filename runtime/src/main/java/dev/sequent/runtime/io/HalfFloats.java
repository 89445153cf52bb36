package dev.sequent.runtime.io;

/** IEEE 754 binary16 and bfloat16 to float, for readers of files holding them (Java 17 has neither). */
public final class HalfFloats {
  private HalfFloats() {}

  public static float fromHalf(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  public static float fromBfloat16(short b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }
}
