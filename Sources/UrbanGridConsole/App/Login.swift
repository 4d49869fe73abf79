import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signing in before the full screen starts: a token from the environment or a file if one is
/// given and still valid, otherwise username and password typed at the prompt (the password
/// without echo), three tries.
public enum Login {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func signIn(client: APIClient, token: String?, username: String?, language l: Language)
        async throws -> (client: APIClient, user: SessionUser) {
        if let token = token?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            let authorised = client.with(token: token)
            do {
                return (authorised, try await authorised.me())
            } catch let e where e.isUnauthorized {
                print(l.pick("令牌无效或已过期,请登录。", "The token is invalid or expired: please log in."))
            } catch {
                throw Failed(description: error.message(l))
            }
        }
        var name = username
        for _ in 0..<3 {
            let user: String
            if let name, !name.isEmpty { user = name } else {
                guard let typed = prompt(l.pick("用户名: ", "Username: "), echo: true), !typed.isEmpty else { break }
                user = typed
            }
            guard let password = prompt(l.pick("密码: ", "Password: "), echo: false) else { break }
            do {
                let (token, account) = try await client.login(username: user, password: password)
                return (client.with(token: token), account)
            } catch let e where e.isUnauthorized {
                print(e.message(l))
                name = nil
            } catch {
                throw Failed(description: error.message(l))
            }
        }
        throw Failed(description: l.pick("未登录", "not logged in"))
    }

    /// Reads a line from the terminal; with `echo: false` the typed characters are not shown.
    static func prompt(_ text: String, echo: Bool) -> String? {
        print(text, terminator: "")
        fflush(nil)
        var saved = termios()
        let isTerminal = isatty(STDIN_FILENO) != 0
        if !echo && isTerminal {
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        defer {
            if !echo && isTerminal {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                print("")
            }
        }
        return readLine(strippingNewline: true)
    }
}
