"""Cross-cutting helpers every feature may import: i18n, markup, security, mail, signals."""
