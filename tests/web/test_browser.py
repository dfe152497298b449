#!/usr/bin/python3
"""Browser tests of `mnsim serve` in a real headless Chromium (Selenium):
the plan page and its .ics download, a protocol with an error (the finding
at its line), a run of the acne-scar example (the report's figures
visible), a journal session (next-due changes), a request without the token
refused, a cross-site POST refused. Writes a screenshot of each page into
SHOTS_DIR.

Usage: test_browser.py MNSIM SOURCE_DIR SHOTS_DIR
Exit 77 (skipped) when chromium, chromedriver or python3-selenium is missing."""
import glob
import http.server
import json
import atexit
import os
import shutil
import socketserver
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webserver import Server  # noqa: E402

mnsim, src, shots = sys.argv[1], sys.argv[2], sys.argv[3]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
driver_bin = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    chromium = None
if not chromium or not driver_bin:
    print("web.browser: SKIPPED: chromium, chromium-driver or python3-selenium is not "
          "installed (scripts/install-deps installs them)")
    sys.exit(77)

os.makedirs(shots, exist_ok=True)
failures, checks = [], 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


downloads = tempfile.mkdtemp(prefix="mnsim-webtest-dl-")
opts = webdriver.ChromeOptions()
opts.binary_location = chromium
for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
          "--window-size=1280,1000", "--no-first-run", "--disable-extensions"]:
    opts.add_argument(a)
opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                       "download.prompt_for_download": False})
s = Server(mnsim)
service = Service(driver_bin)
atexit.register(service.stop)  # chromedriver must not outlive a failed test
d = webdriver.Chrome(service=service, options=opts)
d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
wait = WebDriverWait(d, 30)


def shot(name):
    d.save_screenshot(os.path.join(shots, name + ".png"))
    print(f"web.browser: {name} at {time.monotonic() - t_all:.1f} s")


def page_gone(old):
    """A wait condition: the element old (of the page before) is detached.
    EC.staleness_of catches only StaleElementReferenceException; while
    Chromium detaches the old page it may answer "Node with given id does
    not belong to the document" instead (seen under load): gone too."""
    def gone(_):
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    return gone


def submit(element_id):
    """Click a form's submit button and wait for the next page: an element
    of the old page may match the next wait and go stale under it."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.ID, element_id).click()
    wait.until(page_gone(old))


def note_present():
    return "not medical advice" in d.find_element(By.TAG_NAME, "footer").text


try:
    t_all = time.monotonic()
    # ---- the URL opens the plan page ----
    d.get(s.url)
    check(d.title.startswith("Plan") and "token" not in d.current_url,
          f"the URL opens the plan page without the token in the address ({d.title}, {d.current_url})")
    check(note_present(), "the plan page has the note")

    # ---- plan -> .ics ----
    Select(d.find_element(By.ID, "indication")).select_by_visible_text("acne-scars")
    z = d.find_element(By.ID, "zones")
    z.clear()
    z.send_keys("cheeks")
    submit("plan-submit")
    wait.until(EC.presence_of_element_located((By.ID, "sessions")))
    rows = d.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")
    check(len(rows) == 3 and rows[0].text.startswith("2027-01-04"), f"the plan has 3 sessions ({len(rows)})")
    shot("plan")
    d.find_element(By.ID, "dl-ics").click()
    t0 = time.monotonic()
    ics = []
    while time.monotonic() - t0 < 15:
        ics = [f for f in glob.glob(os.path.join(downloads, "*.ics"))]
        if ics and not glob.glob(os.path.join(downloads, "*.crdownload")):
            break
        time.sleep(0.1)
    check(len(ics) == 1, f"the .ics was downloaded ({os.listdir(downloads)})")
    if ics:
        import icalendar
        cal = icalendar.Calendar.from_ical(open(ics[0], "rb").read())
        ev = [c for c in cal.walk() if c.name == "VEVENT"]
        check(len(ev) == 3 and str(ev[0].get("DTSTART").dt) == "2027-01-04",
              f"the calendar has the 3 sessions ({len(ev)})")

    # ---- protocol with an error -> the finding at its line ----
    d.get(s.base + "/protocol")
    ta = d.find_element(By.ID, "protocol")
    text = ta.get_attribute("value")
    check("kind: protocol" in text, "the editor opens with the example")
    bad = text.replace("passes: 4", "passes: many")
    line = bad.split("\n").index("passes: many") + 1
    d.execute_script("arguments[0].value = arguments[1]", ta, bad)
    d.find_element(By.ID, "check").click()
    err = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#findings-list li.error")))
    check(err.get_attribute("data-line") == str(line) and f"line {line}, column 9" in err.text
          and "passes" in err.text, f"the finding is at line {line} ({err.text})")
    err.click()  # selects its line in the editor
    sel = d.execute_script("var t=document.getElementById('protocol');"
                           "return t.value.substring(t.selectionStart, t.selectionEnd);")
    check(sel == "passes: many", f"a click on the finding selects its line ({sel!r})")
    d.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    shot("protocol")

    # ---- run the acne-scar example -> the report's figures ----
    ta = d.find_element(By.ID, "protocol")
    d.execute_script("arguments[0].value = arguments[1]", ta, text)
    sm = d.find_element(By.ID, "samples")
    sm.clear()
    sm.send_keys("10")
    t0 = time.monotonic()
    d.find_element(By.ID, "run").click()
    try:
        WebDriverWait(d, 10).until(EC.presence_of_element_located((By.ID, "run-progress")))
    except Exception:
        print("the run page did not come:", d.current_url, d.find_element(By.TAG_NAME, "body").text[:500])
        raise
    frame = WebDriverWait(d, 180).until(EC.presence_of_element_located((By.ID, "report")))
    t_run = time.monotonic() - t0
    check(note_present(), "the run page has the note")
    d.switch_to.frame(frame)
    WebDriverWait(d, 20).until(EC.presence_of_element_located((By.TAG_NAME, "img")))
    imgs = d.find_elements(By.TAG_NAME, "img")
    drawn = [i for i in imgs if d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", i)]
    check(len(imgs) >= 3 and len(drawn) == len(imgs),
          f"the report's figures are drawn ({len(drawn)} of {len(imgs)})")
    check("not medical advice" in d.find_element(By.TAG_NAME, "body").text.lower(), "the report has the note")
    d.switch_to.default_content()
    shot("run")
    print(f"web.browser: the run took {t_run:.1f} s")
    d.get(s.base + "/runs")
    check(len(d.find_elements(By.CSS_SELECTOR, "#runs a")) == 1, "the run is listed")

    # ---- journal: a session -> next due changes ----
    d.get(s.base + "/journal")
    d.find_element(By.ID, "person-code").send_keys("T1")
    submit("add-person-submit")
    wait.until(EC.presence_of_element_located((By.ID, "add-session")))

    def add_session(at):
        d.find_element(By.ID, "session-at").send_keys(at)
        d.find_element(By.ID, "session-needle_length").send_keys("1.0 mm")
        d.find_element(By.ID, "session-zones").send_keys("cheeks")
        submit("add-session-submit")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#next td.due")))
        return [e.text for e in d.find_elements(By.CSS_SELECTOR, "#next td.due")]

    due1 = add_session("2027-01-04 10:00")
    due2 = add_session("2027-02-15 10:00")
    check(due1 and due2 and due1 != due2 and due2[0] > due1[0],
          f"next due moves on with the new session ({due1} -> {due2})")
    check(len(d.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")) == 2, "both sessions are listed")
    nl = d.find_element(By.ID, "edit-session-needle_length")
    check(nl.get_attribute("value") == "1 mm", f"the edit form holds the last session ({nl.get_attribute('value')})")
    nl.clear()
    nl.send_keys("0.5 mm")
    submit("edit-session-submit")
    wait.until(EC.presence_of_element_located((By.ID, "edit-session")))
    cells = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#sessions tbody tr")]
    check(len(cells) == 2 and " 0.5 " in cells[1] and " 0.5 " not in cells[0],
          f"the last session was edited ({cells})")
    shot("journal")

    # ---- catalogs ----
    for page, name in [("/devices", "devices"), ("/sites", "sites"), ("/compounds", "compounds")]:
        d.get(s.base + page)
        check(len(d.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 3 and note_present(),
              f"{page} lists the catalog")
        if name == "sites":
            Select(d.find_element(By.ID, "device")).select_by_visible_text("roller-192-1.5mm")
            old = d.find_element(By.TAG_NAME, "html")
            d.find_element(By.CSS_SELECTOR, "form.card button").click()
            wait.until(page_gone(old))
            wait.until(EC.url_contains("device=roller-192-1.5mm"))
            depths = [c.text for c in d.find_elements(By.CSS_SELECTOR, "#sites tbody td:nth-of-type(6)")]
            check(depths and all(x.split()[0].isdigit() for x in depths),
                  f"the sites page shows the channel depth per site ({depths[:3]})")
        shot(name)
    d.set_window_size(390, 844)  # a phone
    d.get(s.base + "/")
    width = d.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, f"the plan page fits a phone's width ({width} px)")
    shot("plan-phone")
    d.set_window_size(1280, 1000)

    # ---- a cross-site POST is refused ----
    # A page of another origin on the same host (same-site: the cookie is
    # sent) posts a form to the app, even with the CSRF token (as if it had
    # leaked): the Origin and Sec-Fetch-Site checks refuse it.
    csrf = d.find_element(By.CSS_SELECTOR, "meta[name=csrf-token]").get_attribute("content")
    evil = ("<!doctype html><html><body><form id=f method=post action='%s/journal/add'>"
            "<input name=kind value=person><input name=f_code value=EVIL>"
            "<input name=csrf value='%s'></form><script>document.getElementById('f').submit()"
            "</script></body></html>" % (s.base, csrf)).encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(evil)

        def log_message(self, *a):
            pass

    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Evil)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    d.get(f"http://127.0.0.1:{httpd.server_address[1]}/")
    WebDriverWait(d, 10).until(lambda x: x.current_url.startswith(s.base))
    body = d.find_element(By.TAG_NAME, "body").text
    check("another" in body and "403" in body, f"the cross-site POST is refused ({body[:120]})")
    httpd.shutdown()
    st, _, b = s.request("GET", "/api/journal/person")
    check(b"EVIL" not in b, "nothing was added by it")

    # ---- without the token ----
    d.delete_all_cookies()
    d.get(s.base + "/journal")
    check("Access token needed" in d.page_source, "a request without the token is refused")
    shot("no-token")
    print(f"web.browser: {time.monotonic() - t_all:.1f} s in the browser")
finally:
    d.quit()
    code, out, err = s.stop()
    check(code == 0, f"the server stopped cleanly ({code})")
    shutil.rmtree(downloads, ignore_errors=True)

print(f"web.browser: {checks - len(failures)} of {checks} checks passed")
sys.exit(1 if failures else 0)
