"""``paiban serve`` end to end in headless Chromium: open, toggle an overlay, click a module,
save a body file and see the page change without reloading it.

Uses the system's chromium and chromedriver through Selenium (``bench/browser.py``); skips,
saying what is missing, where they are not installed (``.ci/run`` installs them with apt).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ is a tool folder, not an installed package

from bench.browser import chromium, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=f"no headless browser: {missing()}")

PAGE_DIR = ROOT / "issues" / "zhuzhou-daily" / "2024-03-06"
NEW_PARAGRAPH = "市交警支队提醒广大驾驶人，雨天行车要减速慢行，保持安全车距。"
"""Copy appended to rescue.md (written for this test)."""

WAIT = 10.0
"""Seconds to wait for the browser to show something before failing."""


@pytest.fixture
def browser():
    driver = chromium(1400, 900)
    yield driver
    driver.quit()


def test_page_view_in_a_real_browser(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from layout.serve import in_thread, make_app

    shutil.copytree(PAGE_DIR, tmp_path / "p")
    app = make_app(tmp_path / "p" / "page05.yaml", interval=0.05)
    wait = WebDriverWait(browser, WAIT)
    css = browser.find_element
    with in_thread(app) as url:
        browser.get(url)
        wait.until(
            lambda d: d.execute_script("return Number(document.body.dataset.goodVersion) >= 1")
        )
        assert (
            browser.execute_script("return location.hash") == "#/page/0"
        )  # one page: straight to it
        first_src = css(By.ID, "page-img").get_attribute("src")
        assert first_src.endswith("/api/pages/0/v1/page.png")
        assert (
            browser.execute_script("return document.getElementById('page-img').naturalWidth")
            == 1535
        )

        # Overlays are drawn here from the layout JSON: toggling one asks the server for nothing.
        grid = css(By.ID, "ov-grid")
        assert not grid.is_displayed()
        requests_before = browser.execute_script(
            "return performance.getEntriesByType('resource').length"
        )
        css(By.ID, "toggle-grid").click()
        assert grid.is_displayed()
        assert (
            len(grid.find_elements(By.CSS_SELECTOR, "line.col")) == 16
        )  # 8 columns, two edges each
        assert (
            browser.execute_script("return performance.getEntriesByType('resource').length")
            == requests_before
        )
        css(By.ID, "toggle-grid").click()
        assert not grid.is_displayed()

        # A real click on the module's area on the page selects it and shows its fit.
        state = app.state.hub.state(app.state.hub.pages[0])
        rescue = next(f for f in state["layout"]["fit"] if f["id"] == "rescue")
        ActionChains(browser).move_to_element(
            css(By.CSS_SELECTOR, '#hits rect[data-module="rescue"]')
        ).click().perform()
        wait.until(
            lambda d: d.find_element(By.ID, "detail").get_attribute("data-module") == "rescue"
        )

        def detail(key: str) -> str:
            return css(
                By.CSS_SELECTOR, f'#detail table[data-fit="rescue"] tr[data-key="{key}"] td'
            ).text

        assert detail("capacity") == f"{rescue['capacity_lines']} 行"
        assert detail("text") == f"{rescue['chars']} 字"
        assert "traffic-rescue.jpg" in css(By.CSS_SELECTOR, "#detail .photos").text
        assert (
            css(By.CSS_SELECTOR, '#fit-table tr[data-fit="rescue"]')
            .get_attribute("class")
            .endswith("selected")
        )

        # Saving a body file re-renders; the open page follows without a reload.
        browser.execute_script("window.notReloaded = true")
        with open(tmp_path / "p" / "rescue.md", "a", encoding="utf-8") as fh:
            fh.write("\n\n" + NEW_PARAGRAPH + "\n")
        wait.until(lambda d: d.execute_script("return document.body.dataset.goodVersion") == "2")
        assert browser.execute_script("return window.notReloaded") is True
        assert css(By.ID, "page-img").get_attribute("src").endswith("/api/pages/0/v2/page.png")
        assert (
            detail("text") == f"{rescue['chars'] + len(NEW_PARAGRAPH)} 字"
        )  # still selected, new figures
        used = css(By.CSS_SELECTOR, '#fit-table tr[data-fit="rescue"] td:nth-child(3)').text
        assert int(used) > rescue["used_lines"]
