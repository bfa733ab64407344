import Testing
@testable import FactorServiceApp

@Suite(.timeLimit(.minutes(1))) struct CalendarDayTests {
    @Test(arguments: ["2024-01-02", "2024-02-29", "1999-12-31", "2000-02-29"])
    func validDatesRoundTrip(text: String) throws {
        let day = try #require(CalendarDay(text))
        #expect(day.description == text)
    }

    @Test(arguments: ["", "2024-1-02", "2024-01-2", "24-01-02", "2024-13-01", "2024-00-10", "2024-02-30",
                      "2023-02-29", "2024-04-31", "2024/01/02", "2024-01-02T00:00:00", "２０２４-01-02", "+024-01-02"])
    func anythingElseIsRefused(text: String) {
        #expect(CalendarDay(text) == nil)
    }
}
