"""Two responders in one room, each in their own Chromium context, seeing each other's work."""

from playwright.sync_api import expect

from tests.browser.conftest import before_now, room_is_live, screenshot


def post_entry(page, text: str, kind: str = "note") -> None:
    kind_picker = page.locator("#composer-kind")
    if kind_picker.input_value() != kind:
        kind_picker.select_option(kind)
    box = page.get_by_label("New entry")
    box.fill(text)
    box.press("Enter")


def entry(page, text: str):
    return page.locator("#timeline li.entry", has_text=text)


def test_an_entry_typed_by_one_responder_appears_for_the_other(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    sam.get_by_label("New entry").press_sequentially("Half a thought")

    post_entry(dana, "Rolled back deploy 4121")

    expect(entry(sam, "Rolled back deploy 4121")).to_contain_text("User 0")
    expect(sam.get_by_label("New entry")).to_have_value("Half a thought")
    expect(sam.get_by_label("New entry")).to_be_focused()
    expect(dana.get_by_label("New entry")).to_have_value("")
    screenshot(dana, "room-entry-posted")


def test_who_is_in_the_room_follows_people_coming_and_going(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    sam = room_is_live(open_room(room, "user1"))
    expect(sam.locator("#presence")).to_have_text("User 1 (you)")
    dana = room_is_live(open_room(room, "user0"))
    expect(sam.locator("#presence li")).to_have_text(["User 0", "User 1 (you)"])
    dana.close()
    expect(sam.locator("#presence li")).to_have_text(["User 1 (you)"])


def entry_by_id(page, entry_id: str):
    return page.locator(f'#timeline li.entry[data-entry-id="{entry_id}"]')


def open_editor(page, text: str):
    entry(page, text).get_by_role("button", name="Edit entry").click()
    return page.locator("#timeline form.entry-editor")


def test_both_edit_one_entry_and_see_each_others_words_as_they_type(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Errors started at 02:05 after the deploy")
    entry_id = entry(sam, "Errors started at 02:05").get_attribute("data-entry-id")

    dana_box = open_editor(dana, "Errors started").get_by_label("Text")
    sam_box = open_editor(sam, "Errors started").get_by_label("Text")
    expect(entry_by_id(dana, entry_id)).to_contain_text("User 1 is editing")
    expect(entry_by_id(sam, entry_id)).to_contain_text("User 0 is editing")

    dana_box.fill("Errors started at 02:04 after the deploy")
    expect(sam_box).to_have_value("Errors started at 02:04 after the deploy")  # live
    sam_box.press("End")
    sam_box.press_sequentially(" of build 4121")
    merged = "Errors started at 02:04 after the deploy of build 4121"
    expect(dana_box).to_have_value(merged)
    sam_box.press("Enter")
    dana_box.press("Enter")

    expect(entry(sam, merged)).to_be_visible()
    expect(entry(dana, merged)).to_be_visible()
    expect(entry(dana, merged)).not_to_contain_text("is editing")


def test_overlapping_edits_of_the_time_show_the_conflict_and_keep_the_losers_value(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Cause: cache stampede")
    expect(entry(sam, "Cause: cache stampede")).to_be_visible()
    dana_when = open_editor(dana, "Cause").get_by_label("Happened at")
    sam_when = open_editor(sam, "Cause").get_by_label("Happened at")

    dana_when.fill(before_now(hours=1)[0])
    dana.locator("form.entry-editor").get_by_role("button", name="Save").click()
    expect(dana.locator("form.entry-editor")).to_have_count(0)
    sams, _, sams_utc = before_now(hours=2)
    sam_when.fill(sams)
    sam_save = sam.locator("form.entry-editor").get_by_role("button", name="Save")
    sam_save.click()

    conflict = sam.locator(".conflict")
    expect(conflict).to_contain_text("Not saved")
    expect(conflict.locator(".their-text")).to_contain_text("Note, happened at")
    expect(sam_when).to_have_value(sams)
    screenshot(sam, "room-edit-conflict")

    sam_save.click()  # saving again, knowingly, replaces their time
    expect(sam.locator("form.entry-editor")).to_have_count(0)
    expect(entry(dana, "Cause").locator("time.occurred")).to_have_attribute("title", sams_utc)


def test_a_role_claim_and_a_checklist_tick_are_seen_by_the_other(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    expect(dana.locator('[data-role="technical_lead"]')).to_contain_text("Unfilled — required")
    expect(dana.locator("#deadlines")).to_contain_text("Assign Technical Lead")

    sam.get_by_role("button", name="Claim Technical Lead").click()
    dana.get_by_role(
        "checkbox", name="Define symptoms: what broke, who is affected, when it started"
    ).check()

    expect(dana.locator('[data-role="technical_lead"]')).to_contain_text("User 1 since")
    expect(dana.locator("#deadlines")).not_to_contain_text("Assign Technical Lead")
    symptoms = sam.get_by_role(
        "checkbox", name="Define symptoms: what broke, who is affected, when it started"
    )
    expect(symptoms).to_be_checked()
    expect(sam.locator(".check-item", has=symptoms)).to_contain_text("User 0")
    screenshot(sam, "room-role-and-checklist")


def test_work_done_offline_arrives_once_when_back(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))
    post_entry(dana, "Paging the database team")
    expect(entry(sam, "Paging the database team")).to_be_visible()

    dana.context.set_offline(True)
    expect(dana.locator("#connection")).to_contain_text("Offline")
    post_entry(dana, "Failover started")
    box = open_editor(dana, "Paging the database").get_by_label("Text")
    box.fill("Paging the database team (DBA on call: Kim)")
    box.press("Enter")
    # The entry's text is live: it waits in its editor, not in the room's queue.
    expect(dana.locator("form.entry-editor")).to_contain_text("Offline: your text is kept here")
    expect(dana.locator("#connection")).to_contain_text("1 change waiting")
    expect(entry(dana, "Failover started")).to_contain_text("sending…")
    screenshot(dana, "room-offline")
    post_entry(sam, "Sam's note while Dana is away")

    dana.context.set_offline(False)
    expect(dana.locator("#connection")).to_have_text("Live")
    expect(entry(sam, "Failover started")).to_have_count(1)
    expect(entry(sam, "DBA on call: Kim")).to_have_count(1)
    expect(entry(dana, "Sam's note while Dana is away")).to_have_count(1)
    expect(entry(dana, "Failover started")).not_to_contain_text("sending…")

    state = dana.request.get(f"{room.server.url}/api/incidents/{room.incident_id}").json()
    texts = [e["text"] for e in state["timeline"]]
    assert texts.count("Failover started") == 1
    assert texts.count("Paging the database team (DBA on call: Kim)") == 1
    dana.reload()
    room_is_live(dana)
    expect(entry(dana, "Failover started")).to_have_count(1)


def test_a_server_restart_shows_reconnecting_and_loses_nothing(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = room_is_live(open_room(room, "user1"))

    room.server.stop()
    expect(dana.locator("#connection")).to_contain_text("Reconnecting")
    post_entry(dana, "Written while the server was down")
    expect(dana.locator("#connection")).to_contain_text("1 change waiting")

    room.server.start()  # same port, same database
    expect(dana.locator("#connection")).to_have_text("Live", timeout=20_000)
    expect(sam.locator("#connection")).to_have_text("Live", timeout=20_000)
    expect(entry(sam, "Written while the server was down")).to_have_count(1)
    expect(entry(dana, "Written while the server was down")).not_to_contain_text("sending…")


def test_a_missed_event_is_noticed_by_its_seq_and_fetched_with_since(
    live_room, sqlite_url, open_room
):
    room = live_room(sqlite_url)
    dana = room_is_live(open_room(room, "user0"))
    sam = open_room(room, "user1")
    dropped: list[str] = []

    def lose_the_first_entry_broadcast(ws) -> None:
        server = ws.connect_to_server()

        def to_page(message) -> None:
            if not dropped and '"timeline.added"' in str(message) and "Lost" in str(message):
                dropped.append(message)
                return
            ws.send(message)

        server.on_message(to_page)

    sam.context.route_web_socket("**/socket.io/**", lose_the_first_entry_broadcast)
    sam.reload()
    room_is_live(sam)

    post_entry(dana, "Lost on the way to Sam")
    expect(entry(dana, "Lost on the way to Sam")).not_to_contain_text("sending…")
    # Dana's ack can beat Sam's broadcast; the route handler runs while Playwright waits.
    for _ in range(100):
        if dropped:
            break
        sam.wait_for_timeout(50)
    assert dropped
    post_entry(dana, "Arrives with a gap before it")

    expect(entry(sam, "Arrives with a gap before it")).to_have_count(1)
    expect(entry(sam, "Lost on the way to Sam")).to_have_count(1)


def test_changes_waiting_to_be_sent_survive_a_page_reload(live_room, sqlite_url, open_room):
    room = live_room(sqlite_url)
    sam = room_is_live(open_room(room, "user1"))
    dana = open_room(room, "user0")
    server_reachable = [False]

    def socket_to_server(ws) -> None:
        if server_reachable[0]:
            ws.connect_to_server()

    dana.context.route_web_socket("**/socket.io/**", socket_to_server)
    dana.reload()
    expect(dana.locator("#connection")).to_contain_text("Connecting")
    post_entry(dana, "Typed before the room ever connected")
    expect(dana.locator("#connection")).to_contain_text("1 change waiting")

    server_reachable[0] = True
    dana.reload()
    room_is_live(dana)
    expect(entry(sam, "Typed before the room ever connected")).to_have_count(1)
    expect(entry(dana, "Typed before the room ever connected")).to_have_count(1)
    expect(dana.locator("#connection")).to_have_text("Live")
