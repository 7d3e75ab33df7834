"""WebVTT captions made from a video's transcript: one cue per sentence, spread over the
video's duration in proportion to each sentence's length."""

from __future__ import annotations

import re

SECONDS_PER_SENTENCE = 10.0  # when the duration is unknown
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")


def sentences(text: str) -> list[str]:
    """The transcript's sentences (paragraph breaks end one too), whitespace folded."""
    parts = (" ".join(part.split()) for part in SENTENCE_END.split(text or ""))
    return [part for part in parts if part]


def parse_duration(value: object) -> float | None:
    """Seconds from "12:30", "1:02:03" or a number; None when it is not one."""
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    fields = str(value or "").strip().split(":")
    if not all(field.isdigit() for field in fields) or len(fields) > 3:
        return None
    seconds = 0.0
    for field in fields:
        seconds = seconds * 60 + int(field)
    return seconds or None


def cue_times(texts: list[str], duration: float | None) -> list[tuple[float, float]]:
    """(start, end) of each sentence: the duration shared by length, the last cue ending at
    the duration (without one: SECONDS_PER_SENTENCE each)."""
    if duration is None:
        return [
            (i * SECONDS_PER_SENTENCE, (i + 1) * SECONDS_PER_SENTENCE) for i in range(len(texts))
        ]
    total = sum(len(text) for text in texts) or 1
    times, start = [], 0.0
    for text in texts:
        end = start + duration * len(text) / total
        times.append((start, end))
        start = end
    if times:
        times[-1] = (times[-1][0], duration)
    return times


def timestamp(seconds: float) -> str:
    """WebVTT's hh:mm:ss.ttt."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def escape_cue(text: str) -> str:
    """Cue text as WebVTT wants it: & and < escaped, > too (so no "-->" survives)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(transcript: str, duration: float | None) -> str:
    """A WebVTT file of the transcript."""
    texts = sentences(transcript)
    cues = [
        f"{n}\n{timestamp(start)} --> {timestamp(end)}\n{escape_cue(text)}\n"
        for n, (text, (start, end)) in enumerate(
            zip(texts, cue_times(texts, duration), strict=True), start=1
        )
    ]
    return "WEBVTT\n\n" + "\n".join(cues)
