import hashlib
import re
from pathlib import Path

import pytest

from testkit.fixtures import SITES
from testkit.flores import flores_dir
from translate.segment import join_segments, segment_paragraph, split_sentences

FLORES_DEV = flores_dir() / "dev.vi"
EXPECTED_FLORES = Path(__file__).parent / "data" / "flores_dev_segmentation.tsv"
EXPECTED_FIXTURES = Path(__file__).parent / "data" / "fixture_article_segmentation.tsv"

CASES = [
    # (paragraph, expected sentences)
    ("", []),
    ("   ", []),
    ("Một câu.", ["Một câu."]),
    ("Câu thứ nhất. Câu thứ hai.", ["Câu thứ nhất.", "Câu thứ hai."]),
    ("Ông ấy đến chưa? Chưa đến! Vậy à.", ["Ông ấy đến chưa?", "Chưa đến!", "Vậy à."]),
    ("Hội nghị diễn ra tại TP. Hồ Chí Minh hôm qua.", ["Hội nghị diễn ra tại TP. Hồ Chí Minh hôm qua."]),
    ("Ông làm việc tại Tp.HCM. Bà ở Hà Nội.", ["Ông làm việc tại Tp.HCM.", "Bà ở Hà Nội."]),
    (
        "ThS. Nguyễn Văn An phát biểu. Hội nghị kết thúc.",
        ["ThS. Nguyễn Văn An phát biểu.", "Hội nghị kết thúc."],
    ),
    ("PGS.TS. Trần Thị Bình là chủ nhiệm đề tài.", ["PGS.TS. Trần Thị Bình là chủ nhiệm đề tài."]),
    ("GS.TS. Lê Văn C và TS. Phạm D cùng dự.", ["GS.TS. Lê Văn C và TS. Phạm D cùng dự."]),
    ("Theo BS. Hoàng, bệnh nhân đã ổn định.", ["Theo BS. Hoàng, bệnh nhân đã ổn định."]),
    ("Trụ sở ở Q. Ba Đình, Hà Nội. Tòa nhà mới.", ["Trụ sở ở Q. Ba Đình, Hà Nội.", "Tòa nhà mới."]),
    ("Tổng vốn là 1.000,5 tỷ đồng. Dự án khởi công.", ["Tổng vốn là 1.000,5 tỷ đồng.", "Dự án khởi công."]),
    ("Ngày 15/3 trời mưa. Ngày 16/3 nắng.", ["Ngày 15/3 trời mưa.", "Ngày 16/3 nắng."]),
    ("Tỷ lệ tăng 3.5% so với năm trước.", ["Tỷ lệ tăng 3.5% so với năm trước."]),
    ("Giá vàng đạt 8.500.000 đồng/chỉ vào lúc 10:30.", ["Giá vàng đạt 8.500.000 đồng/chỉ vào lúc 10:30."]),
    (
        'Ông nói: "Chúng tôi sẽ làm. Rất tốt." Sau đó ông rời đi.',
        ['Ông nói: "Chúng tôi sẽ làm. Rất tốt."', "Sau đó ông rời đi."],
    ),
    (
        "Bà cho biết: “Kết quả rất khả quan.” Hội nghị tiếp tục.",
        ["Bà cho biết: “Kết quả rất khả quan.”", "Hội nghị tiếp tục."],
    ),
    ("“Tốt. Rất tốt,” ông nói.", ["“Tốt. Rất tốt,” ông nói."]),
    ("Anh ấy chờ... rồi đi về.", ["Anh ấy chờ... rồi đi về."]),
    ("Anh ấy chờ mãi... Cuối cùng cũng đến.", ["Anh ấy chờ mãi...", "Cuối cùng cũng đến."]),
    ("Chị ấy im lặng… Rồi chị khóc.", ["Chị ấy im lặng…", "Rồi chị khóc."]),
    ("1. Phát triển kinh tế bền vững.", ["1. Phát triển kinh tế bền vững."]),
    ("a. Nội dung thứ nhất.", ["a. Nội dung thứ nhất."]),
    ("Mục tiêu gồm: tăng trưởng. 2. Ổn định xã hội.", ["Mục tiêu gồm: tăng trưởng.", "2. Ổn định xã hội."]),
    ("- Tăng cường hợp tác. - Mở rộng thương mại.", ["- Tăng cường hợp tác.", "- Mở rộng thương mại."]),
    ("Dòng một\nDòng hai", ["Dòng một", "Dòng hai"]),
    ("Năm 2023. Năm 2024 sẽ khác.", ["Năm 2023.", "Năm 2024 sẽ khác."]),
    ("Các nước ASEAN, v.v. và các đối tác khác.", ["Các nước ASEAN, v.v. và các đối tác khác."]),
    ("Ông Nguyễn V. A. đã phát biểu.", ["Ông Nguyễn V. A. đã phát biểu."]),
    ("Mr. Smith met Dr. Brown. They talked.", ["Mr. Smith met Dr. Brown.", "They talked."]),
    (
        "Án lệ Roe v. Wade được nhắc lại. Piquet Jr. bị phạt.",
        ["Án lệ Roe v. Wade được nhắc lại.", "Piquet Jr. bị phạt."],
    ),
    (
        "Xem https://baoquocte.vn/a-1.html. Liên hệ a@b.vn.",
        ["Xem https://baoquocte.vn/a-1.html.", "Liên hệ a@b.vn."],
    ),
    ("Tỉnh (Bình Dương). Thành phố mới.", ["Tỉnh (Bình Dương).", "Thành phố mới."]),
    ("Cái gì?! Không thể nào.", ["Cái gì?!", "Không thể nào."]),
    ("Hà Nội 东京 Москва. Đó là ba thành phố.", ["Hà Nội 东京 Москва.", "Đó là ba thành phố."]),
    ("Hàng | Giá\nGạo | 15.000", ["Hàng", "Giá", "Gạo", "15.000"]),
]

# the classes issue 13 found on real news text
CLASS_CASES = [
    # an opening quotation mark never closed in the paragraph (the quotation runs on)
    (
        "Ông Nam cho biết: “Chúng tôi đã chuẩn bị kỹ. Đoàn sẽ lên đường vào thứ Hai. Mọi việc ổn.",
        ["Ông Nam cho biết: “Chúng tôi đã chuẩn bị kỹ.", "Đoàn sẽ lên đường vào thứ Hai.", "Mọi việc ổn."],
    ),
    (
        '"Kinh tế phục hồi nhanh. Xuất khẩu tăng mạnh. Lạm phát được kiểm soát.',
        ['"Kinh tế phục hồi nhanh.', "Xuất khẩu tăng mạnh.", "Lạm phát được kiểm soát."],
    ),
    (
        "đường lối của guru”. Guru là khía cạnh cơ bản.",
        ["đường lối của guru”.", "Guru là khía cạnh cơ bản."],
    ),
    # Roman numerals and single capitals that number something
    ("GDP quý I. Tăng trưởng đạt 5%.", ["GDP quý I.", "Tăng trưởng đạt 5%."]),
    (
        "Kỳ họp thứ 6, Quốc hội khóa XV. Các đại biểu thảo luận.",
        ["Kỳ họp thứ 6, Quốc hội khóa XV.", "Các đại biểu thảo luận."],
    ),
    ("Đội bóng thăng hạng A. Người hâm mộ vui mừng.", ["Đội bóng thăng hạng A.", "Người hâm mộ vui mừng."]),
    ("Xem chương V. Nội dung gồm ba mục.", ["Xem chương V.", "Nội dung gồm ba mục."]),
    ("Phần II. Các quy định chung.", ["Phần II.", "Các quy định chung."]),
    (
        "Chiến tranh thế giới thứ II. Sau đó hòa bình lập lại.",
        ["Chiến tranh thế giới thứ II.", "Sau đó hòa bình lập lại."],
    ),
    # a capital with a diacritic is a word, not an initial
    (
        "Kinh tế châu Á. Trong khi đó châu Âu chững lại.",
        ["Kinh tế châu Á.", "Trong khi đó châu Âu chững lại."],
    ),
    ("Kế hoạch của Ý. Ý là thành viên.", ["Kế hoạch của Ý.", "Ý là thành viên."]),
    ("Ông Nguyễn Đ. Minh phát biểu.", ["Ông Nguyễn Đ. Minh phát biểu."]),
    # inline enumerations
    (
        "Nghị quyết gồm: 1. Tăng cường hợp tác. 2. Đẩy mạnh đầu tư. 3. Phát triển nguồn nhân lực.",
        ["Nghị quyết gồm: 1. Tăng cường hợp tác.", "2. Đẩy mạnh đầu tư.", "3. Phát triển nguồn nhân lực."],
    ),
    (
        "Các giải pháp gồm: a) Hoàn thiện thể chế. b) Cải cách hành chính. c) Chuyển đổi số.",
        ["Các giải pháp gồm: a) Hoàn thiện thể chế.", "b) Cải cách hành chính.", "c) Chuyển đổi số."],
    ),
    (
        "Hai nhiệm vụ: a. Ổn định vĩ mô; b. Kiểm soát lạm phát.",
        ["Hai nhiệm vụ: a. Ổn định vĩ mô; b. Kiểm soát lạm phát."],
    ),
    ("Ưu tiên: 1. Giáo dục; 2. Y tế.", ["Ưu tiên: 1. Giáo dục; 2. Y tế."]),
    # compound titles and initials
    ("GS.TSKH. Nguyễn Văn Hùng chủ trì hội thảo.", ["GS.TSKH. Nguyễn Văn Hùng chủ trì hội thảo."]),
    ("Theo ThS.BS. Lê Thị Mai, bệnh nhân đã ổn định.", ["Theo ThS.BS. Lê Thị Mai, bệnh nhân đã ổn định."]),
    ("Tin và ảnh: P.V. Hà Nội, ngày 15/3.", ["Tin và ảnh: P.V. Hà Nội, ngày 15/3."]),
    ("PGS.TS.BS. Trần Văn B nói. Hội nghị bế mạc.", ["PGS.TS.BS. Trần Văn B nói.", "Hội nghị bế mạc."]),
    ("Ông NGƯT. Phạm Văn C phát biểu.", ["Ông NGƯT. Phạm Văn C phát biểu."]),
]


@pytest.mark.parametrize(
    ("paragraph", "expected"), CASES, ids=[f"case{index:02d}" for index in range(len(CASES))]
)
def test_vietnamese_segmentation(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"), CLASS_CASES, ids=[f"class{index:02d}" for index in range(len(CLASS_CASES))]
)
def test_news_text_classes(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


def test_unclosed_quotation_is_not_cut_mid_sentence_at_the_cap() -> None:
    """A quotation that runs on into the next paragraph used to hold the whole paragraph together, so
    the 400-character cap cut it mid-sentence."""
    sentences = [
        f"Đây là câu thứ {index} trong lời phát biểu dài của ông Bộ trưởng tại hội nghị."
        for index in range(12)
    ]
    paragraph = "Ông nói: “" + " ".join(sentences)
    pieces = split_sentences(paragraph, max_chars=400)
    assert len(pieces) == 12
    assert all(piece.endswith(".") for piece in pieces)


def test_quotation_longer_than_the_cap_splits_at_its_own_sentences() -> None:
    sentences = [f"Câu số {index} của lời trích dẫn rất dài này." for index in range(15)]
    paragraph = "Bà nói: “" + " ".join(sentences) + "” Sau đó bà rời đi."
    pieces = split_sentences(paragraph, max_chars=400)
    assert pieces[-1] == "Sau đó bà rời đi."
    assert all(len(piece) < 400 and piece.rstrip("”").endswith(".") for piece in pieces)


def _expected_flores() -> list[tuple[int, str, list[int]]]:
    rows = []
    for line in EXPECTED_FLORES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        number, digest, offsets = line.split("\t")
        rows.append((int(number), digest, [int(offset) for offset in offsets.split(",") if offset]))
    return rows


def _offsets(line: str, pieces: list[str]) -> list[int]:
    starts, cursor = [], 0
    for piece in pieces:
        cursor = line.index(piece, cursor)
        starts.append(cursor)
        cursor += len(piece)
    return starts[1:]


@pytest.mark.skipif(not FLORES_DEV.is_file(), reason=f"FLORES dev.vi not found in {flores_dir()}")
def test_hand_checked_flores_dev_segmentation() -> None:
    lines = FLORES_DEV.read_text(encoding="utf-8").split("\n")
    expected = _expected_flores()
    assert len(expected) >= 300
    assert sum(1 for _, _, offsets in expected if offsets) >= 100, "the set must hold multi-sentence lines"
    changed = [
        number
        for number, digest, _ in expected
        if hashlib.sha256(lines[number - 1].encode()).hexdigest()[:12] != digest
    ]
    assert not changed, (
        f"{FLORES_DEV} is not the FLORES dev file the expectations were checked on: {changed[:5]}"
    )
    wrong = [
        (number, split_sentences(lines[number - 1]))
        for number, _, offsets in expected
        if _offsets(lines[number - 1], split_sentences(lines[number - 1])) != offsets
    ]
    assert len(wrong) <= len(expected) // 100, wrong


def _fixture_texts() -> dict[str, list[str]]:
    from datetime import UTC, datetime

    from spiders.sources.baoquocte import SOURCE

    parser, texts = SOURCE.parser(SOURCE), {}
    for page in sorted(SITES.glob("*/*.html")):
        url = f"https://baoquocte.vn/{page.name}"
        article = parser.extract(page.read_text(encoding="utf-8"), url, datetime.now(UTC)).article
        if article is not None:
            texts[f"{page.parent.name}/{page.name}"] = [
                article.title,
                *([article.lead] if article.lead else []),
                *(block.text for block in article.body),
                *(image.caption for image in article.images if image.caption),
            ]
    return texts


@pytest.mark.skipif(not SITES.is_dir(), reason=f"fixture pages not found in {SITES}")
def test_hand_checked_fixture_article_segmentation() -> None:
    texts = _fixture_texts()
    rows = [line.split("\t") for line in EXPECTED_FIXTURES.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if not row[0].startswith("#")]
    assert len(rows) >= 60
    for page, index, digest, offsets in rows:
        text = texts[page][int(index)]
        assert hashlib.sha256(text.encode()).hexdigest()[:12] == digest, f"{page} text {index} changed"
        expected = [int(offset) for offset in offsets.split(",") if offset]
        assert _offsets(text, split_sentences(text)) == expected, (page, index, split_sentences(text))


_SENTENCE_END = re.compile(r"(?:[.!?…]|\.\.\.)[\"”’»)\]']*$")


@pytest.mark.skipif(not FLORES_DEV.is_file(), reason=f"FLORES dev.vi not found in {flores_dir()}")
def test_no_flores_piece_is_cut_mid_sentence_below_the_cap() -> None:
    """Every piece but a line's last ends a sentence unless the cap forced the cut."""
    cap = 400
    for path in (FLORES_DEV, flores_dir() / "devtest.vi"):
        for line in path.read_text(encoding="utf-8").splitlines():
            pieces = split_sentences(line, max_chars=cap)
            for piece in pieces[:-1]:
                assert _SENTENCE_END.search(piece) or len(piece) > cap // 2, (piece, line)


def test_long_paragraph_is_cut_into_bounded_pieces() -> None:
    paragraph = ("chữ " * 30_000).strip()
    pieces = split_sentences(paragraph, max_chars=400)
    assert all(len(piece) <= 400 for piece in pieces)
    assert " ".join(pieces) == paragraph


def test_unbroken_run_is_cut_hard() -> None:
    pieces = split_sentences("x" * 100_000, max_chars=400)
    assert len(pieces) == 250
    assert "".join(pieces) == "x" * 100_000


def test_join_restores_line_and_cell_separators() -> None:
    segments = segment_paragraph("Hàng | Giá\nGạo | 15.000. Rẻ.")
    rejoined = join_segments([segment.text.upper() for segment in segments], segments)
    assert rejoined == "HÀNG | GIÁ\nGẠO | 15.000. RẺ."
