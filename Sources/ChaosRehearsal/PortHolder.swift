import Foundation
import Primitives
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP listener on 127.0.0.1 at a port the system chooses, held until `close()`: another
/// process's server on the port Bulwark wants.
final class PortHolder: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PortHolderError(what: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            let error = PortHolderError(what: "listen", errno: errno)
            Glibc.close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(descriptor)
    }
}

struct PortHolderError: OperatorError {
    var what: String
    var errno: Int32

    var errorCode: String { "chaos.port_holder" }

    var description: String { "could not hold a port (\(what)): \(String(cString: strerror(errno)))" }
}
