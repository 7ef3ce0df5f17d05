// The float path of the quantised products for the portable class: 8-lane vectors (two SSE2 registers
// on x86-64), separate multiply and add roundings. See quant_float_body.h for the contract.
#include "CAdLabKernels.h"

#include <stdint.h>
#include <string.h>

#include "half_float.h"

// The 8-lane vectors only ever live inside always-inlined helpers, so their by-value ABI never matters.
#pragma clang diagnostic ignored "-Wpsabi"

#define QF_LANES 8
#define QF_ATTR
#define QF_FMA(a, b, c) ((a) * (b) + (c))
#define QF_NAME(base) base##_portable
#define QF_HALF(p) adlab_half_to_float(p)
#define QF_TILE_ROWS 2
#define QF_TILE_VECS 2
#define QF_SINGLE_ROWS 4
#include "quant_float_body.h"
