#ifndef DUCKPOOL_CDUCKDB_SHIM_H
#define DUCKPOOL_CDUCKDB_SHIM_H

#include <duckdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

// Small helpers for what Swift cannot express over duckdb.h directly.

/// True when bit `row` of a validity mask is set, or when the mask is NULL (all rows valid).
/// Inline so the per-value check in row decoding costs a shift and a mask, not a call.
static inline bool cduckdb_row_is_valid(const uint64_t *validity, uint64_t row) {
    if (validity == NULL) {
        return true;
    }
    return (validity[row >> 6] >> (row & 63)) & 1;
}

/// Pointer and length of the `row`-th string of a VARCHAR or BLOB vector, inlined or not.
/// DuckDB stores strings of up to 12 bytes inside the 16-byte `duckdb_string_t` itself.
static inline const char *cduckdb_string_data(duckdb_string_t *strings, uint64_t row, uint32_t *out_length) {
    duckdb_string_t *value = &strings[row];
    uint32_t length = value->value.inlined.length;
    *out_length = length;
    if (length <= 12) {
        return value->value.inlined.inlined;
    }
    return value->value.pointer.ptr;
}

#endif
