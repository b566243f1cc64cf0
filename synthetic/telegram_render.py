"""Rendering ``t.me/s/<channel>`` pages from post records: the markup Telegram's web preview uses.

Serves the offline demo (a generated corpus crawled by the real spider from 127.0.0.1), the tests and
the parsing benchmark. The markup follows the live preview: message wrappers with ``data-post``, text
in ``tgme_widget_message_text``, footer with views, signature and date, reactions, forwarded-from and
reply blocks, the channel info header and the ``tme_messages_more`` link to older posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape


@dataclass
class RenderedPost:
    post_id: int
    published_at: datetime
    text: str | None = None
    views: int | None = None
    reactions: dict[str, int] = field(default_factory=dict)
    forwarded_from: str | None = None  # a handle (linked) or a name (hidden origin, prefixed with "~")
    reply_to: int | None = None
    reply_text: str | None = None
    signature: str | None = None
    edited: bool = False
    media: Sequence[str] = ()
    service: bool = False


def short_count(n: int) -> str:
    """Telegram's display of counters: 950, 12.3K, 1.2M."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 1_000:
        return f"{n / 1_000:.1f}K".replace(".0K", "K")
    return str(n)


def _text_html(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def render_message(channel: str, post: RenderedPost) -> str:
    if post.service:
        return (
            f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
            f'service_message js-widget_message" data-post="{channel}/{post.post_id}">'
            f'<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text">'
            f'Channel photo updated</div></div></div></div>'
        )
    parts = [
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{post.post_id}"'
        f' data-view="x"><div class="tgme_widget_message_user"></div><div class="tgme_widget_message_bubble">'
        f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
        f'href="https://t.me/{channel}"><span dir="auto">{escape(channel)}</span></a></div>'
    ]
    if post.forwarded_from:
        if post.forwarded_from.startswith("~"):
            parts.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
                f'<span class="tgme_widget_message_forwarded_from_name">{escape(post.forwarded_from[1:])}</span></div>'
            )
        else:
            parts.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
                f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{post.forwarded_from}/1">'
                f'<span dir="auto">{escape(post.forwarded_from)}</span></a></div>'
            )
    if post.reply_to is not None:
        parts.append(
            f'<a class="tgme_widget_message_reply" href="https://t.me/{channel}/{post.reply_to}">'
            f'<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name">'
            f'{escape(channel)}</span></div><div class="tgme_widget_message_text js-message_reply_text" dir="auto">'
            f'{_text_html(post.reply_text or "")}</div></a>'
        )
    media_html = {
        "photo": '<a class="tgme_widget_message_photo_wrap" href="#" style="width:800px"></a>',
        "video": '<a class="tgme_widget_message_video_player" href="#"><video src="v.mp4"></video></a>',
        "document": '<div class="tgme_widget_message_document_wrap"><a class="tgme_widget_message_document" '
                    'href="#"></a></div>',
        "poll": '<div class="tgme_widget_message_poll js-poll"><div class="tgme_widget_message_poll_question">'
                'Poll</div></div>',
    }
    if post.text and len(post.media) == 1:
        # single-media posts nest the caption deeper, inside the media group
        parts.append(f'<div class="tgme_widget_message_grouped_wrap">{media_html[post.media[0]]}'
                     f'<div class="tgme_widget_message_text js-message_text" dir="auto">{_text_html(post.text)}</div>'
                     '</div>')
    else:
        parts.extend(media_html[m] for m in post.media)
        if post.text:
            parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{_text_html(post.text)}</div>')
    if post.reactions:
        parts.append('<div class="tgme_widget_message_reactions js-message_reactions">')
        parts.extend(
            f'<span class="tgme_reaction"><i class="emoji"><b>{escape(e)}</b></i>{short_count(n)}</span>'
            for e, n in post.reactions.items()
        )
        parts.append("</div>")
    parts.append('<div class="tgme_widget_message_footer compact js-message_footer">'
                 '<div class="tgme_widget_message_info short js-message_info">')
    if post.views is not None:
        parts.append(f'<span class="tgme_widget_message_views">{short_count(post.views)}</span>')
    if post.signature:
        parts.append(f'<span class="tgme_widget_message_from_author" dir="auto">{escape(post.signature)}</span>')
    parts.append(
        f'<span class="tgme_widget_message_meta">{"edited " if post.edited else ""}'
        f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{post.post_id}">'
        f'<time datetime="{post.published_at.isoformat()}" class="time">{post.published_at:%H:%M}</time></a></span>'
        "</div></div></div></div></div>"
    )
    return "".join(parts)


def render_channel_page(
    channel: str,
    posts: Sequence[RenderedPost],
    *,
    title: str | None = None,
    description: str | None = None,
    subscribers: int | None = None,
    before: int | None = None,
) -> str:
    """One page as ``/s/<channel>`` serves it: posts oldest first, a link to older posts when ``before`` is set."""
    counters = ""
    if subscribers is not None:
        counters = (
            '<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter">'
            f'<span class="counter_value">{short_count(subscribers)}</span> '
            '<span class="counter_type">subscribers</span></div>'
            '<div class="tgme_channel_info_counter"><span class="counter_value">1.1K</span> '
            '<span class="counter_type">photos</span></div></div>'
        )
    more = (
        f'<a class="tme_messages_more js-messages_more" data-before="{before}" href="/s/{channel}?before={before}"></a>'
        if before is not None else ""
    )
    title = title or channel
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
        f"{escape(title)} – Telegram</title></head><body class=\"widget_frame_base tgme_webpreview\">"
        '<header class="tgme_header"></header><main class="tgme_main"><div class="tgme_container">'
        '<section class="tgme_right_column"><div class="tgme_channel_info"><div class="tgme_channel_info_header">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{escape(title)}</span></div>'
        f'<div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div></div>'
        f'<div class="tgme_channel_info_description">{_text_html(description or "")}</div>{counters}</div></section>'
        f'<section class="tgme_channel_history js-message_history">{more}'
        + "".join(render_message(channel, p) for p in posts)
        + "</section></div></main></body></html>"
    )
