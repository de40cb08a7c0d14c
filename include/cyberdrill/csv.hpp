#pragma once
/// CSV cells for every CSV the tool writes (the writers' contract):
///
/// - Quoting (RFC 4180): a cell holding the separator, a double quote, CR or LF, or beginning or
///   ending with a space or tab, is enclosed in double quotes, each inner quote doubled.
/// - Formula neutralisation (OWASP "CSV Injection"): a *text* cell (an id, a name, a message, an
///   axis value) that begins with `=`, `+`, `-`, `@`, tab or carriage return is written with a
///   single quote `'` in front, so a spreadsheet shows it as text instead of evaluating it.
///   Numbers are data: a cell that is entirely a decimal number (`-0.5`, `+3`, `-1e-3`) is never
///   prefixed, and numeric columns (times, metrics, statistics) are written without the helper.
///   A leading run of quotes is looked through, so the prefix can be undone exactly:
///   `neutralise` adds one `'` when the cell after its leading quotes is formula-led, and
///   `unneutralise` (used by `msel import`) removes one `'` on exactly those cells. The pair is a
///   bijection: `unneutralise(neutralise(s)) == s` for every s.
#include <string>
#include <string_view>

namespace cyberdrill::csv {

/// True when `s` is a plain decimal number: [+-]digits[.digits][(e|E)[+-]digits] (or .digits).
[[nodiscard]] inline bool is_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto digits = [&] {
    const std::size_t b = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i - b;
  };
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mant = digits();
  if (i < n && s[i] == '.') {
    ++i;
    mant += digits();
  }
  if (mant == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

/// True when a spreadsheet would read `s`, after any leading `'` characters, as a formula.
[[nodiscard]] inline bool formula_led(std::string_view s) {
  const std::size_t q = s.find_first_not_of('\'');
  if (q == std::string_view::npos) return false;
  const std::string_view rest = s.substr(q);
  const char c = rest.front();
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') return false;
  return !is_number(rest);
}

/// `'` + s when `s` is formula-led (see the contract above), else s unchanged.
[[nodiscard]] inline std::string neutralise(std::string_view s) {
  return formula_led(s) ? "'" + std::string(s) : std::string(s);
}

/// The inverse of `neutralise`: drops one leading `'` from a cell that `neutralise` prefixed.
[[nodiscard]] inline std::string unneutralise(std::string_view s) {
  if (!s.empty() && s.front() == '\'' && formula_led(s)) return std::string(s.substr(1));
  return std::string(s);
}

/// RFC 4180 quoting (see the contract above); `sep` is the separator of the file.
[[nodiscard]] inline std::string quote(std::string_view s, char sep = ',') {
  bool q = false;
  if (!s.empty()) {
    q = s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t';
    for (const char c : s)
      if (c == sep || c == '"' || c == '\r' || c == '\n') q = true;
  }
  if (!q) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// A text cell: neutralised, then quoted.
[[nodiscard]] inline std::string text_cell(std::string_view s, char sep = ',') { return quote(neutralise(s), sep); }

}  // namespace cyberdrill::csv
