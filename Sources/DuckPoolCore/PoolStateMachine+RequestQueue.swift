import DequeModule

extension PoolStateMachine {
    /// A request waiting for a connection.
    struct WaitingRequest: Sendable, Equatable {
        var requestID: RequestID
        var file: String
        var line: Int
        var requestedAt: PoolTime
        var deadline: PoolTime
    }

    /// The FIFO queue of waiting requests.
    ///
    /// Appending, prepending, popping the head and removing any request by id are all O(1)
    /// (amortized): removal only drops the entry from `entries` and leaves its id in `order`,
    /// where popping skips it later; `order` is compacted when dead ids pile up. Because every
    /// request waits the same acquire timeout and a request put back at the front was made before
    /// everyone behind it, deadlines never decrease from head to tail: the head's deadline is the
    /// next acquire timeout.
    struct RequestQueue: Sendable {
        private(set) var order: Deque<RequestID> = []
        private(set) var entries: [RequestID: WaitingRequest] = [:]

        var count: Int { self.entries.count }

        var isEmpty: Bool { self.entries.isEmpty }

        func contains(_ requestID: RequestID) -> Bool {
            self.entries[requestID] != nil
        }

        mutating func append(_ request: WaitingRequest) {
            self.entries[request.requestID] = request
            self.order.append(request.requestID)
        }

        /// Puts a request back at the head (it keeps its place after a failed validation).
        mutating func prepend(_ request: WaitingRequest) {
            self.entries[request.requestID] = request
            self.order.prepend(request.requestID)
        }

        /// The head, after dropping dead ids in front of it.
        mutating func first() -> WaitingRequest? {
            while let requestID = self.order.first {
                if let request = self.entries[requestID] {
                    return request
                }
                self.order.removeFirst()
            }
            return nil
        }

        mutating func popFirst() -> WaitingRequest? {
            while let requestID = self.order.popFirst() {
                if let request = self.entries.removeValue(forKey: requestID) {
                    return request
                }
            }
            return nil
        }

        mutating func remove(_ requestID: RequestID) -> WaitingRequest? {
            guard let request = self.entries.removeValue(forKey: requestID) else { return nil }
            if self.entries.isEmpty {
                self.order.removeAll(keepingCapacity: true)
            } else if self.order.count > 2 * self.entries.count + 64 {
                let entries = self.entries
                self.order = Deque(self.order.filter { entries[$0] != nil })
            }
            return request
        }

        /// Empties the queue; returns the requests head first.
        mutating func removeAll() -> [WaitingRequest] {
            var result: [WaitingRequest] = []
            result.reserveCapacity(self.entries.count)
            while let request = self.popFirst() {
                result.append(request)
            }
            self.order.removeAll()
            return result
        }

        /// The waiting request ids, head first.
        var requestIDs: [RequestID] {
            self.order.filter { self.entries[$0] != nil }
        }
    }
}
