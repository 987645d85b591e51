/* The chapter's four kernels in C, written as the plain Rust loops are (src/sum.rs, dot.rs,
 * find.rs, filter.rs) and as the sum shaped for the vectoriser (sum_lanes::<32>). build.rs
 * compiles this file once per flavour, with gcc -O3 and the flavour's flags, and FLAVOUR
 * names every function after it: ch08_c_sum_scalar_base, ch08_c_sum_scalar_avx2, ... */
#include <stddef.h>
#include <stdint.h>

#define NAME2(f, v) ch08_c_##f##_##v
#define NAME(f, v) NAME2(f, v)
#define FN(f) NAME(f, FLAVOUR)

/* ANCHOR: c_sum */
float FN(sum_scalar)(const float *x, size_t n) {
    float s = 0.0f;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s;
}

float FN(sum_lanes)(const float *x, size_t n) {
    enum { L = 32 };
    float acc[L] = {0};
    size_t whole = n - n % L;
    for (size_t i = 0; i < whole; i += L)
        for (size_t l = 0; l < L; l++)
            acc[l] += x[i + l];
    float s = 0.0f;
    for (size_t l = 0; l < L; l++)
        s += acc[l];
    for (size_t i = whole; i < n; i++)
        s += x[i];
    return s;
}
/* ANCHOR_END: c_sum */

float FN(dot_scalar)(const float *x, const float *y, size_t n) {
    float s = 0.0f;
    for (size_t i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* The index of the first `needle` in `hay`, or n when there is none. */
size_t FN(find_scalar)(const uint8_t *hay, size_t n, uint8_t needle) {
    for (size_t i = 0; i < n; i++)
        if (hay[i] == needle)
            return i;
    return n;
}

/* Copies the elements of src below `threshold` to out, in order, without a branch; returns
 * how many. `out` holds at least n elements. */
size_t FN(filter_scalar)(const uint32_t *src, size_t n, uint32_t threshold, uint32_t *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[k] = src[i];
        k += src[i] < threshold;
    }
    return k;
}
