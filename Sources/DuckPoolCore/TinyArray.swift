/// A sequence that stores zero or one element inline and only allocates from two elements on.
///
/// State-machine actions almost always carry zero or one item per kind; this keeps the hot paths
/// (lease and release with an idle connection) free of heap allocations.
enum TinyArray<Element> {
    case empty
    case one(Element)
    case many([Element])

    init() {
        self = .empty
    }

    var isEmpty: Bool {
        switch self {
        case .empty: true
        case .one: false
        case .many(let elements): elements.isEmpty
        }
    }

    var count: Int {
        switch self {
        case .empty: 0
        case .one: 1
        case .many(let elements): elements.count
        }
    }

    var first: Element? {
        switch self {
        case .empty: nil
        case .one(let element): element
        case .many(let elements): elements.first
        }
    }

    mutating func append(_ element: Element) {
        switch self {
        case .empty:
            self = .one(element)
        case .one(let existing):
            self = .many([existing, element])
        case .many(var elements):
            self = .empty  // drop the reference so the array is uniquely owned while appending
            elements.append(element)
            self = .many(elements)
        }
    }

    mutating func append(contentsOf other: some Sequence<Element>) {
        for element in other {
            self.append(element)
        }
    }

    /// Calls `body` for each element, without creating an iterator (cheaper than `for in` on the
    /// hot paths).
    @inline(__always)
    func forEach(_ body: (Element) throws -> Void) rethrows {
        switch self {
        case .empty:
            return
        case .one(let element):
            try body(element)
        case .many(let elements):
            for element in elements {
                try body(element)
            }
        }
    }

    /// The elements as an array (allocates for one element or more).
    var array: [Element] {
        switch self {
        case .empty: []
        case .one(let element): [element]
        case .many(let elements): elements
        }
    }
}

extension TinyArray: Sequence {
    struct Iterator: IteratorProtocol {
        private var storage: TinyArray
        private var index = 0

        fileprivate init(_ storage: TinyArray) {
            self.storage = storage
        }

        mutating func next() -> Element? {
            defer { self.index += 1 }
            switch self.storage {
            case .empty:
                return nil
            case .one(let element):
                return self.index == 0 ? element : nil
            case .many(let elements):
                return self.index < elements.count ? elements[self.index] : nil
            }
        }
    }

    func makeIterator() -> Iterator {
        Iterator(self)
    }
}

extension TinyArray: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: Element...) {
        switch elements.count {
        case 0: self = .empty
        case 1: self = .one(elements[0])
        default: self = .many(elements)
        }
    }
}

extension TinyArray: Equatable where Element: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension TinyArray: Sendable where Element: Sendable {}

extension TinyArray: CustomStringConvertible {
    var description: String {
        self.array.description
    }
}
