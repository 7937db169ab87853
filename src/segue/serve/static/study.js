"use strict";
// The participant's page: give a playlist, rate two blind lists, pick one.
const base = window.location.pathname.replace(/\/+$/, "");
let trialId = null;
let spotifyPick = null;

async function init() {
  const info = await api("GET", base + "/api/info");
  document.getElementById("name").textContent = info.name;
  document.getElementById("suggestbox").hidden = !info.paste_suggestions;
  if (info.spotify_enabled) {
    document.getElementById("spotifybox").hidden = false;
    document.getElementById("login").href = "/login?next=" + encodeURIComponent(base);
    const session = await api("GET", "/api/session");
    if (session.logged_in) {
      document.getElementById("login").hidden = true;
      const mine = await api("GET", "/api/me/playlists");
      const list = document.getElementById("mine");
      for (const p of mine.items) {
        const li = el("li", { "data-id": p.id }, `${p.name} · ${p.tracks ?? "?"} tracks`);
        li.addEventListener("click", () => {
          spotifyPick = p.id;
          for (const other of list.children) other.classList.remove("on");
          li.classList.add("on");
        });
        list.append(li);
      }
    }
  }
}

function renderList(side, tracks) {
  const ol = document.querySelector(`#${side} ol`);
  ol.replaceChildren();
  for (const t of tracks) {
    const buttons = el("span", { class: "rate" });
    for (const r of ["like", "neutral", "dislike"]) {
      const b = el("button", { "data-rating": r, type: "button" }, r);
      b.addEventListener("click", async () => {
        try {
          await api("POST", `${base}/api/trials/${trialId}/ratings`, { side, track: t.id, rating: r });
          for (const other of buttons.children) other.classList.remove("on");
          b.classList.add("on");
        } catch (e) { document.getElementById("error").textContent = e.message; }
      });
      buttons.append(b);
    }
    const link = el("a", { href: `https://open.spotify.com/track/${t.id}`, target: "_blank", rel: "noopener" },
      t.name || t.id);
    ol.append(el("li", { "data-id": t.id }, link, ` — ${t.artist || "?"} `, buttons));
  }
}

async function start() {
  const error = document.getElementById("error");
  error.textContent = "";
  const body = {};
  const title = document.getElementById("title").value.trim();
  const pasted = lines(document.getElementById("pasted").value);
  if (pasted.length > 0) body.tracks = pasted;
  else if (spotifyPick) body.spotify_playlist = spotifyPick;
  else if (!title) { error.textContent = "pick a playlist or paste tracks first"; return; }
  else body.tracks = [];
  if (title) body.title = title;
  if (!document.getElementById("suggestbox").hidden) {
    body.suggestions = lines(document.getElementById("suggested").value);
  }
  try {
    const trial = await api("POST", base + "/api/trials", body);
    trialId = trial.id;
    renderList("left", trial.left);
    renderList("right", trial.right);
    document.getElementById("setup").hidden = true;
    document.getElementById("trial").hidden = false;
    document.getElementById("thanks").textContent = "";
    document.getElementById("again").hidden = true;
  } catch (e) { error.textContent = e.message; }
}

async function pick(side) {
  try {
    await api("POST", `${base}/api/trials/${trialId}/choice`, { side });
    document.getElementById("thanks").textContent = "Thank you: your answer is saved.";
    document.getElementById("again").hidden = false;
  } catch (e) { document.getElementById("error").textContent = e.message; }
}

document.getElementById("start").addEventListener("click", start);
document.getElementById("pick-left").addEventListener("click", () => pick("left"));
document.getElementById("pick-right").addEventListener("click", () => pick("right"));
document.getElementById("again").addEventListener("click", () => {
  document.getElementById("setup").hidden = false;
  document.getElementById("trial").hidden = true;
});
init().catch((e) => { document.getElementById("error").textContent = e.message; });
