#ifndef URBANGRID_CSPATIALITE_SHIM_H
#define URBANGRID_CSPATIALITE_SHIM_H
// spatialite.h does not include sqlite3.h itself.
#include <sqlite3.h>
#include <spatialite.h>

// sqlite3_config is variadic, which Swift cannot call: wrap the one setting we need.
// Memory statistics sit behind one global mutex; turning them off lets readers scale.
static inline int urbangrid_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
