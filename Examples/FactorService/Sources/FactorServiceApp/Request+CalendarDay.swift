import Hummingbird

extension Request {
    /// The query parameter `name` as a ``CalendarDay``; nil when it is absent.
    /// - Throws: ``APIError`` (400) when it is present but not a valid `YYYY-MM-DD` date.
    func calendarDay(query name: String) throws(APIError) -> CalendarDay? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let day = CalendarDay(text) else {
            throw .badRequest("query parameter '\(name)' must be a date as YYYY-MM-DD, got '\(text.prefix(32))'")
        }
        return day
    }

    /// The query parameter `name` as a ``CalendarDay``.
    /// - Throws: ``APIError`` (400) when it is absent or not a valid `YYYY-MM-DD` date.
    func requiredCalendarDay(query name: String) throws(APIError) -> CalendarDay {
        guard let day = try calendarDay(query: name) else {
            throw .badRequest("query parameter '\(name)' is required (a date as YYYY-MM-DD)")
        }
        return day
    }
}
