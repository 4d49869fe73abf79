import Crypto
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import UrbanGridCore
import UrbanGridStore

extension CaseMediaItem: ResponseEncodable {}
struct MediaList: ResponseEncodable { var items: [CaseMediaItem] }

/// Photos of a case, per step (report / handling / check): `POST …/cases/{id}/media?step=` with
/// multipart/form-data (several files), `GET …/media` to list, `GET …/media/{mediaId}` for the bytes.
struct MediaRoutes {
    let store: CityStore
    /// Per file; the whole request may carry up to `maxFiles` of them.
    let maxFileBytes: Int
    let maxFiles = 10

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("cases/:id/media") { request, context -> Response in
            let (user, id) = try await visibleCase(context)
            let q = try QueryParameters(request, allowed: ["step"])
            guard let step = MediaStep(rawValue: q.string("step") ?? "report") else {
                throw Problem.invalidParameter("step", "step is report, handling or check", "step 须为 report、handling 或 check")
            }
            let uploads = try await parse(request)
            let items = try store.addMedia(caseID: id, step: step, uploads: uploads, by: user)
            return try MediaList(items: items).response(from: request, context: context).withStatus(.created)
        }
        api.get("cases/:id/media") { _, context -> MediaList in
            let (_, id) = try await visibleCase(context)
            return MediaList(items: try store.media(caseID: id))
        }
        api.get("cases/:id/media/:mediaId") { _, context -> Response in
            let (_, id) = try await visibleCase(context)
            guard let mediaID = context.parameters.get("mediaId").flatMap(Int64.init),
                  let found = try store.mediaBytes(caseID: id, mediaID: mediaID) else {
                throw Problem("not-found", status: 404, title: "Photo not found", detail: "no such photo", detailZh: "照片不存在")
            }
            return Response(status: .ok, headers: [.contentType: found.item.contentType, .cacheControl: "private, max-age=86400"],
                            body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
        }
    }

    private func visibleCase(_ context: AppRequestContext) async throws -> (UserAccount, Int64) {
        let user = try context.requireUser()
        guard let raw = context.parameters.get("id"), let id = Int64(raw),
              try store.caseView(id: id, viewer: user, timeline: false) != nil else {
            throw Problem("not-found", status: 404, title: "Case not found", detail: "no such case", detailZh: "案卷不存在")
        }
        return (user, id)
    }

    /// The `boundary` parameter of a `multipart/form-data` Content-Type (RFC 2046 §5.1.1, RFC 9110
    /// §8.3.1: parameters after `;`, names case-insensitive, values possibly quoted), or nil.
    static func formDataBoundary(_ contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in fields.dropFirst() {
            guard let eq = parameter.firstIndex(of: "="),
                  parameter[..<eq].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = parameter[parameter.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// Reads the multipart body, checking each file's type from its bytes (JPEG, PNG) and size.
    private func parse(_ request: Request) async throws -> [MediaUpload] {
        guard let type = request.headers[.contentType], let boundary = Self.formDataBoundary(type) else {
            throw Problem("unsupported-media-type", status: 415, title: "Unsupported Media Type",
                          detail: "send multipart/form-data with one or more image files", detailZh: "请以 multipart/form-data 上传图片", field: "body")
        }
        // Parsed as the body arrives, so an oversized file is refused at its first byte too many,
        // without reading (or holding) the rest.
        var parts: [(headers: [String: String], body: ByteBuffer)] = []
        var headers: [String: String] = [:], current = ByteBuffer(), tooLarge = false
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { headers[$0.lowercased()] = $1 }
        parser.onBody = { current.writeBuffer(&$0); tooLarge = tooLarge || current.readableBytes > maxFileBytes }
        parser.onPartComplete = { parts.append((headers, current)); headers = [:]; current = ByteBuffer() }
        for try await chunk in request.body {
            do { try parser.execute(chunk) } catch {
                throw Problem("invalid-body", status: 400, title: "Malformed multipart body", detail: "the multipart body cannot be read",
                              detailZh: "multipart 请求体无法解析", field: "body")
            }
            if tooLarge {
                throw Problem("body-too-large", status: 413, title: "Photo too large",
                              detail: "each photo may have at most \(maxFileBytes) bytes", detailZh: "照片过大", field: "file")
            }
            if parts.count > maxFiles { break }
        }
        let files = parts.filter { $0.headers["content-disposition"]?.contains("filename") ?? false }
        guard !files.isEmpty, files.count <= maxFiles else {
            throw Problem("invalid-body", status: 400, title: "No photos", detail: "send 1 to \(maxFiles) image files",
                          detailZh: "请上传 1–\(maxFiles) 张图片", field: "file")
        }
        return try files.map { part in
            let bytes = Data(part.body.readableBytesView)
            let name = Self.filename(part.headers["content-disposition"] ?? "")
            guard let contentType = Self.imageType(bytes) else {
                throw Problem("unsupported-media-type", status: 415, title: "Not an image",
                              detail: "\(name ?? "a file") is neither JPEG nor PNG", detailZh: "只接受 JPEG 或 PNG 图片", field: "file")
            }
            let sha = SHA256.hash(data: bytes).lowercaseHex
            return MediaUpload(bytes: bytes, sha256: sha, contentType: contentType, filename: name)
        }
    }

    /// The type an image really is, from its first bytes (never from the name or the declared type).
    static func imageType(_ bytes: Data) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        return nil
    }

    /// The client's file name, kept only as a label: no path parts, at most 120 characters.
    static func filename(_ disposition: String) -> String? {
        guard let range = disposition.range(of: "filename=") else { return nil }
        let raw = disposition[range.upperBound...].split(separator: ";").first.map(String.init) ?? ""
        let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            .split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(name.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(120).map(Character.init))
        return clean.isEmpty || clean == "." || clean == ".." ? nil : clean
    }
}
