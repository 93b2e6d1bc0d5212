import pytest

from translate.segment import join_segments, segment_paragraph, split_sentences

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


@pytest.mark.parametrize(
    ("paragraph", "expected"), CASES, ids=[f"case{index:02d}" for index in range(len(CASES))]
)
def test_vietnamese_segmentation(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


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
