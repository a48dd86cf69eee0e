#ifndef BOUNCEMATCH_CPCRE2_SHIM_H
#define BOUNCEMATCH_CPCRE2_SHIM_H
// 8-bit code units: replies are bytes, never decoded.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
