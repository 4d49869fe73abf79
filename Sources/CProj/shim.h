#ifndef URBANGRID_CPROJ_SHIM_H
#define URBANGRID_CPROJ_SHIM_H
#include <proj.h>
#endif
