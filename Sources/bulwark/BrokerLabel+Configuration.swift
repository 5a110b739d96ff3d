import Console
import Settings

extension BrokerLabel {
    /// The label for a configured broker.
    init(_ broker: BulwarkConfiguration.Broker) {
        switch broker {
        case .embedded: self = .sim
        case .paper: self = .paper
        case .live: self = .live
        }
    }
}
