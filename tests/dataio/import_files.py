"""Spreadsheets as cities keep them, made in the tests: rows of children, CSV in CP932 or UTF-8, XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

FAMILIES = [("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"),
            ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"),
            ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"), ("松本", "まつもと"), ("井上", "いのうえ"),
            ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"), ("山口", "やまぐち")]
GIVEN = [("陽翔", "はると"), ("結衣", "ゆい"), ("蓮", "れん"), ("陽葵", "ひまり"), ("湊", "みなと"), ("凛", "りん"),
         ("蒼", "あおい"), ("紬", "つむぎ"), ("樹", "いつき"), ("芽依", "めい")]
GUARDIANS = [("美咲", "みさき"), ("健一", "けんいち"), ("由美子", "ゆみこ"), ("大輔", "だいすけ"), ("真由美", "まゆみ")]

STUDENT_HEADINGS = ["児童ID", "氏名", "ふりがな", "生年月日", "学年", "学校名", "世帯番号", "郵便番号", "住所",
                    "保護者氏名", "保護者ふりがな", "続柄", "電話番号"]


def student_row(i: int, *, birth: str | None = None) -> list[str]:
    """Child ``i``: unique id and name; children 2k and 2k+1 are siblings (one household, one guardian)."""
    family, family_kana = FAMILIES[(i // 2) % len(FAMILIES)]
    given, given_kana = GIVEN[i % len(GIVEN)]
    household = i // 2
    guardian, guardian_kana = GUARDIANS[household % len(GUARDIANS)]
    day = dt.date(2010, 4, 2) + dt.timedelta(days=(i * 37) % 2500)
    return [f"C{i:05d}", f"{family} {given}{i}", f"{family_kana} {given_kana}", birth or day.strftime("%Y/%-m/%-d"),
            "中1", "深谷市立南中学校", f"H{household:05d}", "366-0001", f"埼玉県深谷市上野台{household}-1",
            f"{family} {guardian}", f"{family_kana} {guardian_kana}", "母", f"090-{household % 10000:04d}-0001"]


def student_rows(count: int) -> list[list[str]]:
    return [student_row(i) for i in range(count)]


def csv_bytes(headings: list[str], rows: list[list[str]], *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(headings: list[str], rows: list[list], *, title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
