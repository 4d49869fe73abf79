/// The component schemas and shared problem responses of the OpenAPI document. Response
/// schemas name the members clients rely on and allow more, so the document stays true as
/// fields are added.
enum OpenAPISchemas {
    typealias JSON = [String: Any]

    static func object(_ required: [String], _ properties: JSON, closed: Bool = false) -> JSON {
        var o: JSON = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = required }
        if closed { o["additionalProperties"] = false }
        return o
    }

    nonisolated(unsafe) static let string: JSON = ["type": "string"]
    nonisolated(unsafe) static let integer: JSON = ["type": "integer"]
    nonisolated(unsafe) static let number: JSON = ["type": "number"]
    nonisolated(unsafe) static let boolean: JSON = ["type": "boolean"]
    static func array(_ items: JSON) -> JSON { ["type": "array", "items": items] }
    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    nonisolated(unsafe) static let nullableString: JSON = ["type": "string", "nullable": true]

    static let statuses: [Int: String] = [
        400: "Invalid request: the problem names the field or parameter", 401: "No valid bearer token",
        403: "Not allowed for this role or key", 404: "Not found", 409: "Not allowed in the case's current state",
        413: "Body too large", 415: "Unsupported media type", 422: "Well-formed but unusable (e.g. a point outside the city)",
        429: "Too many requests (the client's request rate, or failed logins): wait Retry-After seconds",
    ]

    static var responses: JSON {
        var out: JSON = [:]
        for (code, text) in statuses {
            var response: JSON = ["description": text, "content": ["application/problem+json": ["schema": ref("Problem")]]]
            if code == 429 {
                response["headers"] = ["Retry-After": ["description": "Seconds to wait before trying again", "required": true,
                                                       "schema": ["type": "integer", "minimum": 1]]]
            }
            out["Problem\(code)"] = response
        }
        return out
    }

    nonisolated(unsafe) static let link = object(["href", "rel"], ["href": string, "rel": string, "type": string, "title": string])
    nonisolated(unsafe) static let links = array(ref("Link"))

    nonisolated(unsafe) static let all: JSON = [
        "Problem": object(["type", "title", "status", "detail"], [
            "type": string, "title": string, "status": integer, "detail": string, "detailZh": string,
            "field": string, "position": integer]),
        "Link": link,
        "LandingPage": object(["links"], ["title": string, "description": string, "links": links]),
        "Conformance": object(["conformsTo"], ["conformsTo": array(string)]),
        "Collection": object(["id", "links"], [
            "id": string, "title": string, "description": string, "itemType": string, "crs": array(string),
            "storageCrs": string, "links": links, "extent": ["type": "object"]]),
        "Collections": object(["collections", "links"], ["collections": array(ref("Collection")), "crs": array(string), "links": links]),
        "Feature": object(["type", "geometry", "properties"], [
            "type": ["type": "string", "enum": ["Feature"]], "id": ["oneOf": [string, integer]],
            "geometry": ["type": "object", "nullable": true], "properties": ["type": "object", "nullable": true], "links": links]),
        "FeatureCollection": object(["type", "features"], [
            "type": ["type": "string", "enum": ["FeatureCollection"]], "features": array(ref("Feature")),
            "numberMatched": ["type": "integer", "minimum": 0], "numberReturned": ["type": "integer", "minimum": 0],
            "timeStamp": ["type": "string", "format": "date-time"], "links": links]),
        "Health": object(["status"], ["status": string, "city": string, "libraries": ["type": "object"],
                                      "storageCrs": string, "metricCrs": string, "metricAxisOrder": string]),
        "LoginRequest": object(["username", "password"], ["username": ["type": "string", "minLength": 1, "maxLength": 200],
                                                          "password": ["type": "string", "minLength": 1, "maxLength": 1000]], closed: true),
        "User": object(["id", "username", "role"], ["id": integer, "username": string, "role": string, "departmentCode": nullableString]),
        "Session": object(["token"], ["token": string, "tokenType": string, "expiresIn": integer, "user": ref("User")]),
        "Locate": object(["grid"], ["lon": number, "lat": number, "storageSrid": integer, "grid": ["type": "object"],
                                    "community": ["type": "object"], "street": ["type": "object"], "district": ["type": "object"],
                                    "radiusM": number, "components": array(["type": "object"])]),
        "Catalog": object(["components", "matters"], ["components": array(["type": "object"]), "matters": array(["type": "object"]),
                                                      "legacyComponents": array(["type": "object"]), "legacyEvents": array(["type": "object"]),
                                                      "departments": array(["type": "object"])]),
        "CaseIntake": object(["kind", "code", "location"], [
            "kind": ["type": "string", "enum": ["component", "event"]],
            "code": ["type": "string", "pattern": "^[0-9]{4,5}$"],
            "location": object(["lon", "lat"], ["lon": number, "lat": number,
                                                "crs": ["type": "string", "enum": ["wgs84", "cgcs2000", "gcj02", "bd09"]]]),
            "description": string, "urgent": boolean, "selfHandled": boolean, "address": string, "componentId": string,
            "source": ["type": "string", "enum": ["inspector", "public", "hotline", "leader", "media", "other"]],
            "reporter": object([], ["name": string, "phone": string])]),
        "Case": object(["id", "number", "status"], [
            "id": integer, "number": string, "kind": string, "code": string, "status": string, "statusZh": string,
            "lon": number, "lat": number, "grid": ["type": "object"], "department": nullableString,
            "step": ["type": "object", "nullable": true], "allowedActions": array(string),
            "timeline": ["type": "array", "nullable": true, "items": ["type": "object"]]]),
        "CaseList": object(["items"], ["items": array(ref("Case")), "nextCursor": nullableString]),
        "TaskList": object(["items"], ["items": array(ref("Case"))]),
        "ActionRequest": object([], ["note": string, "department": string, "hours": number, "passed": boolean, "inspector": string]),
        "MediaList": object(["items"], ["items": array(["type": "object"])]),
        "WebhookRequest": object(["url", "secret"], ["url": ["type": "string", "format": "uri"], "secret": ["type": "string", "minLength": 16]]),
        "Webhook": object(["id", "url"], ["id": integer, "departmentCode": string, "url": string]),
        "WebhookList": object(["items"], ["items": array(ref("Webhook"))]),
        "DeliveryList": object(["items"], ["items": array(["type": "object"])]),
    ]
}
