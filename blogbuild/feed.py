"""블로그 글의 RSS 2.0 피드(feed.xml): 한국어 제목과 설명, 최신 글이 먼저.

외부 플러그인(mkdocs-rss-plugin)은 빌드 때 네트워크로 이미지 크기를 묻기도 해서 쓰지 않고,
표준 라이브러리로 직접 씁니다.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from xml.etree import ElementTree as ET


@dataclass(frozen=True)
class FeedItem:
    """피드 항목 하나: 글 한 편."""

    title: str
    url: str
    description: str
    date: dt.datetime
    categories: tuple[str, ...]


def _as_datetime(value: object) -> dt.datetime:
    """앞머리의 date(날짜 또는 날짜·시각)를 UTC 시각으로."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def rss(site_name: str, site_url: str, description: str, items: list[FeedItem]) -> bytes:
    """RSS 2.0 문서(UTF-8 바이트)를 만듭니다. 항목은 날짜가 최신인 것부터."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = site_name
    ET.SubElement(channel, "link").text = site_url
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = "ko"
    ordered = sorted(items, key=lambda item: item.date, reverse=True)
    if ordered:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(ordered[0].date)
    for item in ordered:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item.title
        ET.SubElement(node, "link").text = item.url
        ET.SubElement(node, "guid", isPermaLink="true").text = item.url
        ET.SubElement(node, "description").text = item.description
        ET.SubElement(node, "pubDate").text = format_datetime(item.date)
        for category in item.categories:
            ET.SubElement(node, "category").text = category
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def item_from_page(title: str, url: str, meta: dict) -> FeedItem:
    """Material 블로그 글 페이지의 제목·주소·앞머리로 피드 항목을 만듭니다."""
    date = meta["date"]
    if isinstance(date, dict):  # 블로그 플러그인은 date를 {"created": ...}로 바꿔 둡니다
        date = date.get("created")
    return FeedItem(
        title=title,
        url=url,
        description=meta.get("description", ""),
        date=_as_datetime(date),
        categories=tuple(meta.get("categories", [])),
    )
