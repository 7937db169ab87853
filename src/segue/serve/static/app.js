"use strict";
// The continuation page: pick or paste, continue, draw the profile, save.
const FEATURES = ["danceability", "energy", "speechiness", "acousticness",
  "instrumentalness", "liveness", "valence"];
let chosen = null;   // catalog playlist id
let lastTracks = []; // ids of the continuation

let searchSeq = 0;    // answers to older searches are dropped

async function search() {
  const q = document.getElementById("search").value;
  const seq = ++searchSeq;
  const data = await api("GET", "/api/playlists?limit=30&q=" + encodeURIComponent(q));
  if (seq !== searchSeq) return;
  const list = document.getElementById("catalog");
  list.replaceChildren();
  for (const p of data.items) {
    const li = el("li", { "data-id": p.id }, `${p.name || "(untitled)"} · ${p.tracks ?? "?"} tracks`);
    li.addEventListener("click", () => {
      chosen = p.id;
      for (const other of list.children) other.classList.remove("on");
      li.classList.add("on");
      document.getElementById("savename").value = (p.name || "segue") + " (continued)";
    });
    list.append(li);
  }
}

function drawProfile(profile) {
  const box = document.getElementById("profile");
  box.replaceChildren();
  if (!profile || profile.with_features === 0) {
    box.append(`no audio features for these ${profile ? profile.tracks : 0} tracks`);
    return;
  }
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const rowH = 22, width = 420;
  svg.setAttribute("width", width); svg.setAttribute("height", rowH * FEATURES.length + 4);
  svg.setAttribute("role", "img"); svg.setAttribute("aria-label", "mean audio features");
  svg.id = "profile-chart";
  FEATURES.forEach((name, i) => {
    const v = profile[name];
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", 0); label.setAttribute("y", i * rowH + 15);
    label.textContent = name; svg.append(label);
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", 130); bar.setAttribute("y", i * rowH + 4);
    bar.setAttribute("height", 14);
    bar.setAttribute("width", v == null ? 0 : Math.max(1, v * 250));
    bar.setAttribute("fill", "#2a7"); bar.setAttribute("data-feature", name);
    svg.append(bar);
    const val = document.createElementNS(ns, "text");
    val.setAttribute("x", 390); val.setAttribute("y", i * rowH + 15);
    val.textContent = v == null ? "–" : v.toFixed(2); svg.append(val);
  });
  box.append(svg);
  const extra = [];
  if (profile.tempo != null) extra.push(`tempo ${profile.tempo.toFixed(0)} BPM`);
  if (profile.loudness != null) extra.push(`loudness ${profile.loudness.toFixed(1)} dB`);
  extra.push(`${profile.with_features} of ${profile.tracks} tracks have features`);
  box.append(el("p", { class: "muted" }, extra.join(" · ")));
}

async function go() {
  const error = document.getElementById("error");
  const status = document.getElementById("status");
  error.textContent = ""; status.textContent = "working…";
  const body = {
    n: Number(document.getElementById("n").value || 20),
    allow_remixes: document.getElementById("remixes").checked,
    diversity: Number(document.getElementById("diversity").value),
  };
  const cap = document.getElementById("maxartist").value;
  if (cap) body.max_per_artist = Number(cap);
  const pasted = lines(document.getElementById("pasted").value);
  const title = document.getElementById("title").value.trim();
  if (pasted.length > 0 || (title && !chosen)) {
    body.tracks = pasted;
    if (title) body.title = title;
  } else if (chosen) {
    body.playlist_id = chosen;
  } else {
    error.textContent = "pick a playlist or paste tracks first"; status.textContent = "";
    return;
  }
  try {
    const data = await api("POST", "/v1/continuations", body);
    drawProfile(data.profile);
    const list = document.getElementById("results");
    list.replaceChildren();
    lastTracks = [];
    for (const item of data.tracks) {
      const t = item.track;
      const artists = t.artists.map((a) => a.name).join(", ");
      lastTracks.push(t.id);
      list.append(el("li", { "data-id": t.id },
        el("strong", {}, t.name || t.id), ` — ${artists}`,
        el("span", { class: "reason" }, item.reason || "")));
    }
    status.textContent = `${data.tracks.length} tracks` +
      (data.warnings.length ? " · " + data.warnings.join("; ") : "");
    if (!document.getElementById("savename").value) {
      document.getElementById("savename").value = (data.title || "segue") + " (continued)";
    }
    await showSave();
  } catch (e) {
    error.textContent = e.message; status.textContent = "";
  }
}

async function showSave() {
  const info = await api("GET", "/api/session");
  const box = document.getElementById("savebox");
  box.hidden = !info.spotify_enabled || lastTracks.length === 0;
  document.getElementById("save").hidden = !info.logged_in;
  document.getElementById("login").hidden = info.logged_in;
}

async function save() {
  const out = document.getElementById("saved");
  try {
    const name = document.getElementById("savename").value.trim() || "segue";
    const data = await api("POST", "/api/save", { name, tracks: lastTracks.slice(0, 100) });
    out.replaceChildren("saved: ", el("a", { href: data.url, id: "saved-link" }, name));
  } catch (e) {
    out.textContent = "could not save: " + e.message;
  }
}

document.getElementById("search").addEventListener("input", () => { search().catch(() => {}); });
document.getElementById("go").addEventListener("click", go);
document.getElementById("save").addEventListener("click", save);
search().catch((e) => { document.getElementById("error").textContent = e.message; });
