// The locate answer written by hand (`JSONWriter`): the same members as its `Codable` form.

extension NamedArea: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in j.field("code", code); j.field("nameZh", nameZh); j.field("nameEn", nameEn) }
    }
}

extension GridSummary: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in j.field("code", code); j.field("areaM2", areaM2) }
    }
}

extension NearbyComponent: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("id", id); j.field("typeCode", typeCode); j.field("typeNameZh", typeNameZh)
            j.field("typeNameEn", typeNameEn); j.field("name", name); j.field("status", status)
            j.field("distanceM", distanceM); j.field("lon", lon); j.field("lat", lat)
        }
    }
}

extension LocateResult: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { j in
            j.field("lon", lon); j.field("lat", lat); j.field("storageSrid", storageSrid)
            j.field("grid", grid); j.field("community", community); j.field("street", street)
            j.field("district", district); j.field("radiusM", radiusM); j.field("components", components)
        }
    }
}
