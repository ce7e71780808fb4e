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

WAIT = 30.0
"""Seconds to wait for the browser to show something before failing (a loaded 2-core CI box
needs more than the ~1 s it takes when idle)."""


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
    page = tmp_path / "p" / "page05.yaml"
    app = make_app(page, interval=0.05)
    wait = WebDriverWait(browser, WAIT)

    def css(selector: str):
        return browser.find_element(By.CSS_SELECTOR, selector)

    def js(script: str):
        return browser.execute_script("return " + script)

    with in_thread(app) as url:
        browser.get(url)
        wait.until(lambda d: js("Number(document.body.dataset.goodVersion) >= 1"))
        assert js("location.hash") == "#/page/0"  # one page: straight to it
        assert css("#page-img").get_attribute("src").endswith("/api/pages/0/v1/page.png")
        assert js("document.getElementById('page-img').naturalWidth") == 1535  # 100 dpi

        # Overlays are drawn here from the layout JSON: toggling one asks the server for nothing.
        grid = css("#ov-grid")
        assert not grid.is_displayed()
        requests = js("performance.getEntriesByType('resource').length")
        css("#toggle-grid").click()
        assert grid.is_displayed()
        assert len(grid.find_elements(By.CSS_SELECTOR, "line.col")) == 16  # 8 columns, 2 edges
        assert js("performance.getEntriesByType('resource').length") == requests
        css("#toggle-grid").click()
        assert not grid.is_displayed()

        # A real click on the module's area on the page selects it and shows its fit.
        state = app.state.hub.state(app.state.hub.pages[0])
        rescue = next(f for f in state["layout"]["fit"] if f["id"] == "rescue")
        hit = css('#hits rect[data-module="rescue"]')
        ActionChains(browser).move_to_element(hit).click().perform()
        wait.until(lambda d: css("#detail").get_attribute("data-module") == "rescue")

        def detail(key: str) -> str:
            return css(f'#detail table[data-fit="rescue"] tr[data-key="{key}"] td').text

        assert detail("capacity") == f"{rescue['capacity_lines']} 行"
        assert detail("text") == f"{rescue['chars']} 字"
        assert "traffic-rescue.jpg" in css("#detail .photos").text
        assert "selected" in hit.get_attribute("class").split()
        assert "selected" in css('#fit-table tr[data-fit="rescue"]').get_attribute("class").split()

        # Saving a body file re-renders; the open page follows without a reload.
        js("window.notReloaded = true")
        with open(tmp_path / "p" / "rescue.md", "a", encoding="utf-8") as fh:
            fh.write("\n\n" + NEW_PARAGRAPH + "\n")
        wait.until(lambda d: js("document.body.dataset.goodVersion") == "2")
        assert js("window.notReloaded") is True
        assert css("#page-img").get_attribute("src").endswith("/api/pages/0/v2/page.png")
        assert detail("text") == f"{rescue['chars'] + len(NEW_PARAGRAPH)} 字"  # still selected
        assert (
            int(css('#fit-table tr[data-fit="rescue"] td:nth-child(3)').text) > rescue["used_lines"]
        )

        # A broken description shows its error in the page; the last good render stays.
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("top: 0, height: 86}", "top: 0, heigth: 86}", 1), "utf-8")
        wait.until(lambda d: css("#errorbox").is_displayed())
        box = css("#errorbox").text
        assert "page05.yaml:" in box and "articles.0.place.heigth" in box and "hint:" in box
        assert css("#page-img").get_attribute("src").endswith("/api/pages/0/v2/page.png")
        page.write_text(text, encoding="utf-8")
        wait.until(lambda d: not css("#errorbox").is_displayed())
        wait.until(lambda d: js("document.body.dataset.goodVersion") == "4")
