import GRDB

extension CityStore {
    /// Fills the in-memory indexes of the base layers and the catalogue's type names, so that the
    /// first requests after a start do not wait for them: loaded lazily, the first report took
    /// ~50 ms instead of ~2, and under load the first second's p99 was ~40 ms instead of ~14.
    public func warmUp() throws {
        try pool.unsafeRead { db in
            let version = try CityStore.baseVersion(db)
            _ = try grids.index(db, version: version)
            _ = try components.index(db, version: version)
            _ = try geocoder.index(db, version: version)
            try typeNames.preload(db)
        }
    }
}
