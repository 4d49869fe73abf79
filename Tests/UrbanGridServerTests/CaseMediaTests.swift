// Photos of a case through HTTP on the real server: multipart/form-data built by hand, real (tiny)
// PNG and JPEG files, types sniffed from the bytes, SHA-256 computed here, content-addressed storage
// counted on disk, and the refusals (not an image, too large, not multipart, bad step, other
// departments, anonymous callers) leaving nothing behind.

import Crypto
import Foundation
import Testing
import UrbanGridCore
import UrbanGridServer
import UrbanGridStore

/// Images small enough to write down byte by byte.
enum TestImages {
    /// A 1×1 RGBA PNG (one red pixel): signature, IHDR, IDAT (zlib), IEND, with their CRCs.
    static let png = Data([
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,                                     // signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,                                     // IHDR, 13 bytes
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00,       // 1×1, 8 bit RGBA
        0x1F, 0x15, 0xC4, 0x89,
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54,                                     // IDAT, 13 bytes
        0x78, 0xDA, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
        0x56, 0xC7, 0x2F, 0x0D,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,             // IEND
    ])
    /// SHA-256 of `png`, computed outside this code base (Python's hashlib).
    static let pngSHA256 = "49e1dad481e94dfab7c9573a9a81d56aa2ca629fe15a3f7a910aa4f47601c00d"

    /// A 1×1 greyscale baseline JPEG: JFIF, a flat quantisation table, SOF0, one-code Huffman tables
    /// (DC 0, AC end-of-block), one scan of two bits padded with ones, EOI.
    static let jpeg: Data = {
        var d = Data([0xFF, 0xD8])                                                           // SOI
        d += [0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00,       // APP0 JFIF
              0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        d += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)              // DQT
        d += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00] // SOF0 1×1, 1 component
        d += [0xFF, 0xC4, 0x00, 0x26]                                                        // DHT
        d += [0x00, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]                       //   DC 0: one code → 0
        d += [0x10, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]                       //   AC 0: one code → EOB
        d += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]                   // SOS
        d += [0x3F]                                                                          // "0" "0" + padding
        d += [0xFF, 0xD9]                                                                    // EOI
        return d
    }()
    /// SHA-256 of `jpeg`, computed outside this code base (Python's hashlib).
    static let jpegSHA256 = "3f93bab029856dfaa0d8d9eceeceaa5977e4381e9209ed61f6f7af51c622147f"

    /// `count` bytes that start as a JPEG (FF D8 FF) and go on with deterministic noise, so each seed
    /// gives a different file.
    static func jpegLike(count: Int, seed: UInt64) -> Data {
        var generator = SplitMix64(seed: seed)
        var d = Data([0xFF, 0xD8, 0xFF, 0xE0])
        while d.count < count { d.append(UInt8.random(in: 0...255, using: &generator)) }
        return d.prefix(count)
    }
}

/// A multipart/form-data body written out by hand (RFC 7578).
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var bytes: Data

        /// A file part named `file`.
        static func file(_ filename: String, _ contentType: String, _ bytes: Data, name: String = "file") -> Part {
            Part(name: name, filename: filename, contentType: contentType, bytes: bytes)
        }
    }

    let boundary = "----UrbanGridTestBoundary\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
    var parts: [Part] = []

    init(_ parts: [Part] = []) { self.parts = parts }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var body: Data {
        var d = Data()
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\n"
            if let type = part.contentType { head += "Content-Type: \(type)\r\n" }
            head += "\r\n"
            d.append(Data(head.utf8))
            d.append(part.bytes)
            d.append(Data("\r\n".utf8))
        }
        d.append(Data("--\(boundary)--\r\n".utf8))
        return d
    }
}

/// `{"items": [...]}` of the media routes.
struct MediaItems: Decodable { var items: [CaseMediaItem] }

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

extension TestServer {
    /// `POST /api/v1/cases/{id}/media?step=…` with `form` (no `step` parameter when nil).
    func upload(_ caseID: Int64, step: String? = "report", _ form: MultipartForm, as user: Session?) async throws -> HTTPResult {
        try await HTTP.post(baseURL, "api/v1/cases/\(caseID)/media", query: step.map { [("step", $0)] } ?? [], body: form.body,
                            headers: (user?.headers ?? [:]).merging(["Content-Type": form.contentType]) { $1 })
    }

    /// `GET /api/v1/cases/{id}/media`, expecting 200.
    func mediaList(_ caseID: Int64, as user: Session, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [CaseMediaItem] {
        let r = try await get("api/v1/cases/\(caseID)/media", as: user)
        try #require(r.status == 200, "\(r)", sourceLocation: sourceLocation)
        return try r.decode(MediaItems.self).items
    }

    /// The regular files under `<database path>.media/` (the photo store), found by walking the directory.
    var storedPhotoFiles: [URL] {
        let root = URL(fileURLWithPath: store.path + ".media")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}

@Suite struct CaseMediaTests {
    @Test func theBoundaryIsReadLikeAnyMediaTypeParameter() async throws {
        try await withCaseServer { crew in
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let forms = [MultipartForm([.file("pile.png", "image/png", TestImages.png)]),
                         MultipartForm([.file("kerb.jpg", "image/jpeg", TestImages.jpeg)])]
            // Quoted, with another parameter after it, names in any case (RFC 9110 §8.3.1).
            let types = ["multipart/form-data; Boundary=\"\(forms[0].boundary)\"; charset=utf-8",
                         "Multipart/Form-Data;charset=utf-8;boundary=\(forms[1].boundary)"]
            for (form, type) in zip(forms, types) {
                let r = try await HTTP.post(crew.server.baseURL, "api/v1/cases/\(c.id)/media", query: [("step", "report")], body: form.body,
                                            headers: crew.inspector.headers.merging(["Content-Type": type]) { $1 })
                #expect(r.status == 201, "\(type): \(r)")
            }
            let noBoundary = try await HTTP.post(crew.server.baseURL, "api/v1/cases/\(c.id)/media", query: [("step", "report")],
                                                 body: forms[0].body,
                                                 headers: crew.inspector.headers.merging(["Content-Type": "multipart/form-data; charset=utf-8"]) { $1 })
            #expect(noBoundary.status == 415, "\(noBoundary)")
            #expect(try await crew.server.mediaList(c.id, as: crew.operator_).count == 2)
        }
    }

    @Test func uploadListAndFetchPhotosStoredOncePerContent() async throws {
        try await withCaseServer { crew in
            let server = crew.server
            // The fixtures are what they claim: the hand-written digests agree with swift-crypto.
            #expect(sha256Hex(TestImages.png) == TestImages.pngSHA256)
            #expect(sha256Hex(TestImages.jpeg) == TestImages.jpegSHA256)
            #expect(TestImages.png.count == 70 && TestImages.jpeg.count == 155)

            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            #expect(try await server.mediaList(c.id, as: crew.operator_).isEmpty)
            #expect(server.storedPhotoFiles.isEmpty)

            // Two files in one request; the PNG is declared image/jpeg and must be stored as what it is.
            let form = MultipartForm([.file("pile.png", "image/jpeg", TestImages.png),
                                      .file("kerb.jpg", "image/jpeg", TestImages.jpeg)])
            let r = try await server.upload(c.id, form, as: crew.inspector)
            try #require(r.status == 201, "\(r)")
            #expect(r.header("content-type")?.hasPrefix("application/json") == true, "\(r)")
            let items = try r.decode(MediaItems.self).items
            try #require(items.count == 2)
            let (png, jpeg) = (items[0], items[1])
            #expect(png.contentType == "image/png", "sniffed from the bytes, not the declared type")
            #expect(png.size == 70 && png.sha256 == TestImages.pngSHA256 && png.filename == "pile.png")
            #expect(jpeg.contentType == "image/jpeg")
            #expect(jpeg.size == 155 && jpeg.sha256 == TestImages.jpegSHA256 && jpeg.filename == "kerb.jpg")
            for item in items {
                #expect(item.caseId == c.id && item.step == .report && item.uploadedBy == crew.inspector.username)
            }
            #expect(png.id != jpeg.id)

            // The listing shows the same two, to anyone who may see the case.
            #expect(try await server.mediaList(c.id, as: crew.operator_) == items)
            #expect(try await server.mediaList(c.id, as: crew.inspector) == items)

            // Each photo comes back byte for byte with its stored type.
            for (item, bytes) in [(png, TestImages.png), (jpeg, TestImages.jpeg)] {
                let got = try await server.get("api/v1/cases/\(c.id)/media/\(item.id)", as: crew.operator_)
                #expect(got.status == 200, "\(got)")
                #expect(got.header("content-type") == item.contentType)
                #expect(got.header("x-content-type-options") == "nosniff")
                #expect(got.body == bytes, "\(item.filename ?? "-"): \(got.body.count) bytes")
            }

            // On disk: one file per distinct content, each named by the SHA-256 of its bytes.
            func expectStored(_ digests: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let files = server.storedPhotoFiles
                #expect(files.count == digests.count, "\(files.map(\.lastPathComponent))", sourceLocation: sourceLocation)
                for file in files {
                    #expect(sha256Hex(try Data(contentsOf: file)) == file.lastPathComponent, sourceLocation: sourceLocation)
                }
                #expect(Set(files.map(\.lastPathComponent)) == digests, sourceLocation: sourceLocation)
            }
            try expectStored([TestImages.pngSHA256, TestImages.jpegSHA256])

            // The same PNG again, at another step, by another user: a new photo record, no new file.
            let again = try await server.upload(c.id, step: "check", MultipartForm([.file("same.png", "image/png", TestImages.png)]),
                                                as: crew.operator_)
            try #require(again.status == 201, "\(again)")
            let third = try #require(try again.decode(MediaItems.self).items.first)
            #expect(third.sha256 == TestImages.pngSHA256 && third.step == .check && third.uploadedBy == crew.operator_.username)
            #expect(third.id != png.id)
            try expectStored([TestImages.pngSHA256, TestImages.jpegSHA256])
            // Twice in one request: two records, still one file.
            let twice = try await server.upload(c.id, step: "handling",
                                                MultipartForm([.file("a.jpg", "image/jpeg", TestImages.jpeg),
                                                               .file("b.jpg", "image/jpeg", TestImages.jpeg)]), as: crew.operator_)
            try #require(twice.status == 201, "\(twice)")
            #expect(try twice.decode(MediaItems.self).items.map(\.sha256) == [TestImages.jpegSHA256, TestImages.jpegSHA256])
            try expectStored([TestImages.pngSHA256, TestImages.jpegSHA256])

            let listed = try await server.mediaList(c.id, as: crew.operator_)
            #expect(listed.map(\.step) == [.report, .report, .check, .handling, .handling])
            #expect(listed.map(\.sha256) == [TestImages.pngSHA256, TestImages.jpegSHA256, TestImages.pngSHA256,
                                             TestImages.jpegSHA256, TestImages.jpegSHA256])
            let thirdBytes = try await server.get("api/v1/cases/\(c.id)/media/\(third.id)", as: crew.operator_)
            #expect(thirdBytes.status == 200 && thirdBytes.body == TestImages.png)

            // A photo belongs to its case: another case's id does not reach it, nor does an unknown id.
            let other = try await crew.report(CaseCrew.event("06010", at: try crew.ordinaryPoint(1).point))
            expectProblem(try await server.get("api/v1/cases/\(other.id)/media/\(png.id)", as: crew.operator_), 404, kind: "not-found")
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media/\(third.id + 100)", as: crew.operator_), 404, kind: "not-found")
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media/x", as: crew.operator_), 404)
            #expect(try await server.mediaList(other.id, as: crew.operator_).isEmpty)
            // Upload to a case that does not exist.
            let noCase = try await server.upload(other.id + 1000, MultipartForm([.file("x.png", "image/png", TestImages.png)]),
                                                 as: crew.operator_)
            expectProblem(noCase, 404, kind: "not-found")
        }
    }

    @Test func refusedUploadsStoreNothing() async throws {
        let limit = 64 * 1024
        try await withCaseServer(configuration: ServerConfiguration(maxPhotoBytes: limit)) { crew in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            let first = try await server.upload(c.id, MultipartForm([.file("pile.png", "image/png", TestImages.png)]), as: crew.inspector)
            try #require(first.status == 201, "\(first)")
            let before = try await server.mediaList(c.id, as: crew.operator_)
            let filesBefore = server.storedPhotoFiles
            #expect(before.count == 1 && filesBefore.count == 1)
            func expectNothingStored(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                #expect(try await server.mediaList(c.id, as: crew.operator_) == before, "\(what)", sourceLocation: sourceLocation)
                #expect(server.storedPhotoFiles == filesBefore, "\(what)", sourceLocation: sourceLocation)
            }

            // Text named like a photo and declared as one.
            let text = MultipartForm([.file("photo.jpg", "image/jpeg", Data("this is not a photo, only words\n".utf8))])
            expectProblem(try await server.upload(c.id, text, as: crew.inspector), 415, field: "file", kind: "unsupported-media-type")
            try await expectNothingStored("text as photo.jpg")
            // A good new JPEG with a bad file in the same request: all or nothing.
            let mixed = MultipartForm([.file("kerb.jpg", "image/jpeg", TestImages.jpeg),
                                       .file("notes.png", "image/png", Data("GIF89a".utf8))])
            expectProblem(try await server.upload(c.id, mixed, as: crew.inspector), 415, field: "file", kind: "unsupported-media-type")
            try await expectNothingStored("a JPEG with a non-image")

            // Over the per-file limit (100 KB against 64 KB).
            let big = MultipartForm([.file("big.jpg", "image/jpeg", TestImages.jpegLike(count: 100 * 1024, seed: 1))])
            expectProblem(try await server.upload(c.id, big, as: crew.inspector), 413, field: "file", kind: "body-too-large")
            try await expectNothingStored("100 KB")
            // One byte over the limit is refused, too; and a good small file does not carry a big one in.
            let justOver = MultipartForm([.file("small.jpg", "image/jpeg", TestImages.jpeg),
                                          .file("over.jpg", "image/jpeg", TestImages.jpegLike(count: limit + 1, seed: 2))])
            expectProblem(try await server.upload(c.id, justOver, as: crew.inspector), 413, field: "file", kind: "body-too-large")
            try await expectNothingStored("limit + 1 byte")

            // Not multipart at all: a JSON body, a bare image.
            let json = try await HTTP.post(server.baseURL, "api/v1/cases/\(c.id)/media", query: [("step", "report")],
                                           body: Data("{}".utf8),
                                           headers: crew.inspector.headers.merging(["Content-Type": "application/json"]) { $1 })
            expectProblem(json, 415, kind: "unsupported-media-type")
            let bare = try await HTTP.post(server.baseURL, "api/v1/cases/\(c.id)/media", query: [("step", "report")],
                                           body: TestImages.png,
                                           headers: crew.inspector.headers.merging(["Content-Type": "image/png"]) { $1 })
            expectProblem(bare, 415, kind: "unsupported-media-type")
            // Multipart without any file part.
            let noFile = MultipartForm([.init(name: "note", filename: nil, contentType: nil, bytes: Data("hello".utf8))])
            expectProblem(try await server.upload(c.id, noFile, as: crew.inspector), 400, field: "file")
            try await expectNothingStored("not multipart / no file")

            // Unknown step, unknown parameter.
            let photo = MultipartForm([.file("kerb.jpg", "image/jpeg", TestImages.jpegLike(count: 512, seed: 3))])
            expectProblem(try await server.upload(c.id, step: "repair", photo, as: crew.inspector), 400, field: "step",
                          kind: "invalid-parameter")
            let extra = try await HTTP.post(server.baseURL, "api/v1/cases/\(c.id)/media", query: [("step", "report"), ("tag", "x")],
                                            body: photo.body,
                                            headers: crew.inspector.headers.merging(["Content-Type": photo.contentType]) { $1 })
            expectProblem(extra, 400, field: "tag", kind: "invalid-parameter")
            try await expectNothingStored("bad step")

            // Exactly at the limit is accepted.
            let atLimit = TestImages.jpegLike(count: limit, seed: 4)
            let ok = try await server.upload(c.id, MultipartForm([.file("limit.jpg", "image/jpeg", atLimit)]), as: crew.inspector)
            try #require(ok.status == 201, "\(ok)")
            #expect(try ok.decode(MediaItems.self).items.map(\.size) == [limit])
            #expect(server.storedPhotoFiles.count == 2)

            // A path in the file name keeps only its last component; the file goes to the photo store.
            let sneaky = MultipartForm([.file("../../etc/passwd.png", "image/png", TestImages.png),
                                        .file(#"..\..\windows\win.ini.jpg"#, "image/jpeg", TestImages.jpeg)])
            let named = try await server.upload(c.id, sneaky, as: crew.inspector)
            try #require(named.status == 201, "\(named)")
            #expect(try named.decode(MediaItems.self).items.map(\.filename) == ["passwd.png", "win.ini.jpg"])
            #expect(try await server.mediaList(c.id, as: crew.operator_).suffix(2).map(\.filename) == ["passwd.png", "win.ini.jpg"])
            let root = URL(fileURLWithPath: server.store.path + ".media").standardizedFileURL.path + "/"
            let files = server.storedPhotoFiles
            #expect(files.count == 3)
            #expect(files.allSatisfy { $0.standardizedFileURL.path.hasPrefix(root) }, "\(files)")
            #expect(!files.contains { $0.lastPathComponent.contains("passwd") || $0.lastPathComponent.contains("win.ini") })
        }
    }

    @Test func otherDepartmentsAndAnonymousCallersCannotReachPhotos() async throws {
        try await withCaseServer { crew in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.handling(CaseCrew.event("06010", at: p))
            #expect(c.department == "HW")

            // HW handles it and may add its handling photos.
            let r = try await server.upload(c.id, step: "handling", MultipartForm([.file("done.jpg", "image/jpeg", TestImages.jpeg)]),
                                            as: crew.hw)
            try #require(r.status == 201, "\(r)")
            let item = try #require(try r.decode(MediaItems.self).items.first)
            #expect(item.step == .handling && item.uploadedBy == crew.hw.username)
            #expect(try await server.mediaList(c.id, as: crew.hw) == [item])

            // CGZF does not know the case exists: 404 for listing, fetching and uploading.
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media", as: crew.cgzf), 404, kind: "not-found")
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media/\(item.id)", as: crew.cgzf), 404, kind: "not-found")
            let cgzfUpload = try await server.upload(c.id, step: "handling",
                                                     MultipartForm([.file("mine.png", "image/png", TestImages.png)]), as: crew.cgzf)
            expectProblem(cgzfUpload, 404, kind: "not-found")

            // Anonymous callers: 401 everywhere.
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media", as: nil), 401, kind: "unauthorized")
            expectProblem(try await server.get("api/v1/cases/\(c.id)/media/\(item.id)", as: nil), 401, kind: "unauthorized")
            let anonymous = try await server.upload(c.id, MultipartForm([.file("anon.png", "image/png", TestImages.png)]), as: nil)
            expectProblem(anonymous, 401, kind: "unauthorized")

            // Nothing of theirs was stored.
            #expect(try await server.mediaList(c.id, as: crew.operator_) == [item])
            #expect(server.storedPhotoFiles.map(\.lastPathComponent) == [TestImages.jpegSHA256])
        }
    }

    @Test func samePhotoUploadedConcurrentlyIsStoredOnce() async throws {
        try await withCaseServer { crew in
            let server = crew.server
            let (p, _) = try crew.ordinaryPoint()
            let c = try await crew.report(CaseCrew.event("06010", at: p))
            // A photo new to the store, sent by several clients at the same moment.
            let bytes = TestImages.jpegLike(count: 256 * 1024, seed: 42)
            let digest = sha256Hex(bytes)
            let uploads = 8
            let statuses = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
                for i in 0..<uploads {
                    group.addTask {
                        try await server.upload(c.id, MultipartForm([.file("same-\(i).jpg", "image/jpeg", bytes)]), as: crew.inspector)
                    }
                }
                var results: [HTTPResult] = []
                for try await r in group { results.append(r) }
                return results
            }
            #expect(statuses.map(\.status) == Array(repeating: 201, count: uploads), "\(statuses.filter { $0.status != 201 })")
            let listed = try await server.mediaList(c.id, as: crew.operator_)
            #expect(listed.count == uploads && listed.allSatisfy { $0.sha256 == digest })
            // One file, complete, and no temporary files left behind.
            let files = server.storedPhotoFiles
            #expect(files.map(\.lastPathComponent) == [digest], "\(files.map(\.lastPathComponent))")
            #expect(try files.first.map { try Data(contentsOf: $0) } == bytes)
        }
    }
}
