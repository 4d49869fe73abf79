import Crypto
import Foundation
import UrbanGridCore
import HummingbirdBcrypt

/// Passwords (bcrypt) and opaque bearer tokens (random, stored as SHA-256).
public enum Credentials {
    /// bcrypt cost: about 0.1 s a hash on this class of machine, which slows guessing without
    /// making logins sluggish.
    public static let bcryptCost: UInt8 = 11

    public static func hashPassword(_ password: String) -> String {
        Bcrypt.hash(password, cost: bcryptCost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// 256 random bits, URL-safe base64.
    public static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Departments' features-API keys start with this, so they are told from session tokens.
    public static let apiKeyPrefix = "ugk_"

    public static func newApiKey() -> String { apiKeyPrefix + newToken() }

    /// What the database keeps of a token: its SHA-256, hex.
    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).lowercaseHex
    }

    /// A random password for one-time credentials: 20 characters from an unambiguous alphabet.
    public static func newPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
