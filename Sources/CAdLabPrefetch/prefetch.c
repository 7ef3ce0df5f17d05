// CAdLabPrefetch is header-only (include/CAdLabPrefetch.h); SwiftPM needs one source file per C target.
#include "CAdLabPrefetch.h"
