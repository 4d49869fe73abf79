import Foundation
import GRDB
import UrbanGridCore

public enum MediaStep: String, Codable, Sendable, CaseIterable { case report, handling, check }

public struct CaseMediaItem: Codable, Sendable, Equatable {
    public var id: Int64
    public var caseId: Int64
    public var step: MediaStep
    public var sha256: String
    public var contentType: String
    public var size: Int
    public var filename: String?
    public var uploadedBy: String
    public var at: String
}

/// A photo ready to store: bytes already checked to be an image of `contentType`.
public struct MediaUpload: Sendable {
    public var bytes: Data
    public var sha256: String
    public var contentType: String
    public var filename: String?
    public init(bytes: Data, sha256: String, contentType: String, filename: String?) {
        self.bytes = bytes; self.sha256 = sha256; self.contentType = contentType; self.filename = filename
    }
}

extension CityStore {
    /// Photos live in `<database>.media/<aa>/<sha256>`: content-addressed, so a photo sent twice is stored once.
    public var mediaDirectory: URL { URL(fileURLWithPath: path + ".media") }

    func mediaFile(_ sha256: String) -> URL { Self.mediaFile(sha256, in: mediaDirectory) }

    static func mediaFile(_ sha256: String, in directory: URL) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Stores photos of a case: files first (written to a temporary name, synced, renamed), then their
    /// rows in one transaction, so a row never points to a missing file.
    public func addMedia(caseID: Int64, step: MediaStep, uploads: [MediaUpload], by user: UserAccount) throws -> [CaseMediaItem] {
        for u in uploads where !FileManager.default.fileExists(atPath: mediaFile(u.sha256).path) {
            // rename(2) replaces atomically: two uploads of the same new photo both succeed (same bytes).
            try DurableFiles.write(u.bytes, to: mediaFile(u.sha256))
        }
        let now = Timestamps.now()
        return try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM case_record WHERE id = ?", arguments: [caseID]) == true else {
                throw Problem.caseNotFound(caseID)
            }
            return try uploads.map { u in
                try db.execute(sql: """
                    INSERT INTO case_media (case_id, step, sha256, content_type, size, filename, uploaded_by, at)
                    VALUES (?,?,?,?,?,?,?,?)
                    """, arguments: [caseID, step.rawValue, u.sha256, u.contentType, u.bytes.count, u.filename, user.id, now])
                return CaseMediaItem(id: db.lastInsertedRowID, caseId: caseID, step: step, sha256: u.sha256,
                                     contentType: u.contentType, size: u.bytes.count, filename: u.filename,
                                     uploadedBy: user.username, at: now)
            }
        }
    }

    public func media(caseID: Int64) throws -> [CaseMediaItem] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.id, m.case_id, m.step, m.sha256, m.content_type, m.size, m.filename, u.username, m.at
                FROM case_media m JOIN user u ON u.id = m.uploaded_by WHERE m.case_id = ? ORDER BY m.id
                """, arguments: [caseID]).map {
                CaseMediaItem(id: $0[0], caseId: $0[1], step: MediaStep(rawValue: $0[2]) ?? .report, sha256: $0[3],
                              contentType: $0[4], size: $0[5], filename: $0[6], uploadedBy: $0[7], at: $0[8])
            }
        }
    }

    /// The bytes of one photo of a case.
    public func mediaBytes(caseID: Int64, mediaID: Int64) throws -> (item: CaseMediaItem, bytes: Data)? {
        guard let item = try media(caseID: caseID).first(where: { $0.id == mediaID }) else { return nil }
        return (item, try Data(contentsOf: mediaFile(item.sha256)))
    }
}
