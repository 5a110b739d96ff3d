import Foundation
import Logging
import Primitives
import TradingModel

/// Sends an order so that it can never be sent twice.
///
/// The client order id is made once per intent and is already in the state store's pending intents when
/// `submit` is called (it refuses otherwise). After an ambiguous failure — a timeout, a reset, a 5xx —
/// the order may or may not have reached the broker, so it is looked up by client order id: found → that
/// order is adopted; not found → sent again *with the same id*; a 422 "client_order_id must be unique" →
/// looked up and adopted. A new id is never made for a retry, so the broker itself refuses a duplicate.
public struct OrderSubmitter: Sendable {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The intent is not durably in the state store: nothing was sent.
        case intentNotSaved(String)
        /// The broker refused the order, or the outcome could not be established (the intent stays
        /// pending; reconciliation resolves it).
        case api(APIError)

        public var description: String {
            switch self {
            case .intentNotSaved(let why): "order not sent: \(why)"
            case .api(let error): "\(error.operatorText)"
            }
        }
    }

    public struct Accepted: Sendable, Hashable {
        public var order: AlpacaOrder
        /// True when the order was found at the broker after an ambiguous failure rather than acknowledged.
        public var adopted: Bool
        /// How many `POST /v2/orders` were made (each with the same client order id).
        public var submissions: Int
    }

    private let client: AlpacaTradingClient
    private let ledger: any IntentLedger
    private let clock: any WallClock
    private let policy: RetryPolicy
    private let logger: Logger

    public init(client: AlpacaTradingClient, ledger: any IntentLedger, clock: any WallClock, policy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.client = client
        self.ledger = ledger
        self.clock = clock
        self.policy = policy
        self.logger = logger
    }

    public static let duplicateClientOrderIDCode = 40010001

    public func submit(_ intent: OrderIntent) async throws(Failure) -> Accepted {
        guard !ledger.isWriteFailing else {
            throw .intentNotSaved("the state file cannot be written, so intent \(intent.clientOrderID) is not durable")
        }
        guard ledger.holdsPendingIntent(intent.clientOrderID) else {
            throw .intentNotSaved("intent \(intent.clientOrderID) is not among the saved pending intents")
        }
        var submissions = 0
        var lastError: APIError?
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...policy.maxAttempts {
            submissions += 1
            do {
                let order = try await client.submitOnce(intent)
                return Accepted(order: order, adopted: false, submissions: submissions)
            } catch {
                lastError = error
                switch error.kind {
                case .orderRefused(let code) where code == Self.duplicateClientOrderIDCode || error.message.contains("must be unique"):
                    // The broker already has an order with this id: the earlier attempt got through.
                    if let order = try await lookUp(intent, after: error) {
                        return Accepted(order: order, adopted: true, submissions: submissions)
                    }
                    throw .api(error)
                case .orderRefused, .notFound:
                    throw .api(error)
                case .failure(.rateLimit):
                    // A 429 is answered before the order is looked at: sending again is safe, after the wait.
                    try await pause(policy.backoff(afterAttempt: attempt, using: &generator), error)
                case .failure(.network):
                    if let order = try await lookUp(intent, after: error) {
                        return Accepted(order: order, adopted: true, submissions: submissions)
                    }
                    // Not there: it never arrived. Send again, with the same client order id.
                    try await pause(policy.backoff(afterAttempt: attempt, using: &generator), error)
                case .failure:
                    // AUTH, SCHEMA (the order may exist: reconciliation adopts it), UNKNOWN: no retry.
                    throw .api(error)
                }
            }
        }
        throw .api(lastError!)
    }

    private func lookUp(_ intent: OrderIntent, after error: APIError) async throws(Failure) -> AlpacaOrder? {
        logger.warning(
            "order outcome unknown; looking it up by client order id",
            metadata: ["client_order_id": "\(intent.clientOrderID)", "error": "\(error.message)"])
        do {
            return try await client.orderDetails(clientOrderID: intent.clientOrderID)
        } catch {
            // Neither sent again nor forgotten: the intent stays pending for reconciliation.
            throw .api(error)
        }
    }

    private func pause(_ delay: Duration, _ cause: APIError) async throws(Failure) {
        do {
            try await clock.sleep(for: delay)
        } catch {
            throw .api(cause)
        }
    }
}
