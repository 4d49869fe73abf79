import Crypto
import Foundation

/// Files that must survive a crash: written under a temporary name beside the target, synced,
/// renamed into place (atomic), and the directory synced so the new name survives too.
enum DurableFiles {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `bytes` to `target`, replacing what is there in one step.
    static func write(_ bytes: Data, to target: URL) throws {
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = temporaryName(for: target)
        do {
            try bytes.write(to: temporary)
            try install(temporary, at: target)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Copies `source` to `target` the same way.
    static func copy(_ source: URL, to target: URL) throws {
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = temporaryName(for: target)
        do {
            try FileManager.default.copyItem(at: source, to: temporary)
            try install(temporary, at: target)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// A name beside `target` for its temporary copy.
    static func temporaryName(for target: URL) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)")
    }

    /// Syncs `temporary` and renames it to `target` (rename(2) replaces atomically), then syncs the directory.
    static func install(_ temporary: URL, at target: URL) throws {
        try sync(temporary)
        guard rename(temporary.path, target.path) == 0 else {
            throw Failure(description: "cannot rename \(temporary.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
        try sync(target.deletingLastPathComponent())
    }

    /// fsync(2) of a file or a directory.
    static func sync(_ url: URL) throws { try sync(path: url.path) }

    /// fsync(2), or fdatasync(2) with `dataOnly`, through a descriptor of its own (the page cache
    /// belongs to the file, so any descriptor syncs what others wrote); with `ifExists` a missing
    /// file is nothing to sync.
    static func sync(path: String, dataOnly: Bool = false, ifExists: Bool = false) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if ifExists && errno == ENOENT { return }
            throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard (dataOnly ? fdatasync(fd) : fsync(fd)) == 0 else {
            throw Failure(description: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether `text` is a SHA-256 as stored: 64 lower-case hexadecimal digits (so also a safe file name).
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The SHA-256 of a file's bytes (hexadecimal), read in 1 MiB pieces; nil when there is no such file.
    static func sha256(of url: URL) throws -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return hasher.finalize().lowercaseHex
    }
}
