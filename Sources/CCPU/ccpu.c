// The functions of this target are `static inline` in include/ccpu.h; a C target needs one source file.
#include "ccpu.h"
