/// A connection's prepared statements, keyed by SQL text, least recently used evicted first.
///
/// **Thread-safety:** none of its own: it belongs to one ``Connection`` and is used only by the
/// thread that is using that connection (the connection's usage guard is held around every
/// lookup and insertion, see `Connection+StatementCache.swift`).
final class StatementCache {
    private struct Entry {
        var statement: PreparedStatement
        var lastUse: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    /// The most statements kept. 0 disables the cache.
    var capacity = StatementCache.defaultCapacity {
        didSet { evict(toFit: capacity) }
    }
    private(set) var statistics = StatementCacheStatistics()

    static let defaultCapacity = 64

    var count: Int { entries.count }

    /// The statement prepared for `sql`, if cached (and not closed by a caller); counts a hit or
    /// a miss.
    func lookup(_ sql: String) -> PreparedStatement? {
        clock &+= 1
        guard let index = entries.index(forKey: sql), !entries.values[index].statement.isClosed else {
            statistics.misses += 1
            return nil
        }
        entries.values[index].lastUse = clock
        statistics.hits += 1
        return entries.values[index].statement
    }

    /// Keeps `statement` for `sql`, evicting the least recently used one when full. Does nothing
    /// when the capacity is 0.
    func insert(_ statement: PreparedStatement, for sql: String) {
        guard capacity > 0 else { return }
        if entries[sql] == nil { evict(toFit: capacity - 1) } // replacing an entry needs no room
        clock &+= 1
        entries[sql] = Entry(statement: statement, lastUse: clock)
    }

    /// Forgets the statement for `sql` (it stays usable by whoever still holds it).
    func remove(_ sql: String) {
        if entries.removeValue(forKey: sql) != nil { statistics.invalidations += 1 }
    }

    /// Closes and forgets every statement (the connection is closing).
    func removeAll() {
        for entry in entries.values { entry.statement.close() }
        entries.removeAll()
    }

    /// Evicts least recently used entries until at most `limit` remain. Evicted statements are
    /// dropped, not closed: a caller may still hold one. O(count) per eviction, which only
    /// happens on a miss with a full cache.
    private func evict(toFit limit: Int) {
        while entries.count > max(limit, 0) {
            guard let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key else { return }
            entries.removeValue(forKey: oldest)
            statistics.evictions += 1
        }
    }
}

/// Counters of a connection's statement cache, since the connection opened. Value type.
public struct StatementCacheStatistics: Sendable, Hashable {
    /// Lookups that found a prepared statement.
    public var hits = 0
    /// Lookups that had to prepare the statement.
    public var misses = 0
    /// Statements dropped to make room (least recently used first).
    public var evictions = 0
    /// Statements dropped because running them failed in a way that may mean they are stale
    /// (a parser, binder or catalog error, e.g. after their table was dropped).
    public var invalidations = 0
}
