// newstrace: the little JavaScript the pages use. Nothing here inserts HTML:
// text from the server is set with textContent only.
"use strict";

function markClaim(id) {
  document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
  if (!id) return;
  const parts = document.querySelectorAll('#text [data-claim="' + CSS.escape(id) + '"]');
  parts.forEach((el) => el.classList.add("current"));
  const target = document.getElementById(id);
  if (target && target.closest("#text")) target.classList.add("current");
}

function onHash() {
  markClaim(decodeURIComponent(location.hash.slice(1)));
}

function setText(id, value) {
  const el = document.getElementById(id);
  if (el) el.textContent = String(value);
}

function showSummary(job) {
  const box = document.getElementById("job-result");
  if (!box) return;
  box.replaceChildren();
  const line = document.createElement("p");
  if (job.summary) {
    const s = job.summary;
    line.textContent = "New " + s.new + " · updated " + s.updated + " · unchanged " + s.unchanged +
      " · copies " + s.near_duplicates.length + " · failed " + s.failed.length;
    box.appendChild(line);
    const list = document.createElement("ul");
    list.className = "failures";
    s.failed.forEach((f) => {
      const item = document.createElement("li");
      item.textContent = f.input + ": " + f.reason;
      list.appendChild(item);
    });
    if (s.failed.length) box.appendChild(list);
  }
  if (job.error) {
    const err = document.createElement("p");
    err.className = "error";
    err.textContent = job.error;
    box.appendChild(err);
  }
  const more = document.createElement("p");
  const link = document.createElement("a");
  link.href = "/articles";
  link.textContent = "See the articles →";
  more.appendChild(link);
  box.appendChild(more);
}

function pollJob(section) {
  const id = section.dataset.job;
  const tick = () => {
    fetch("/api/jobs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        setText("job-status", job.status);
        setText("job-elapsed", Math.round(job.elapsed));
        setText("job-stored", job.articles_stored);
        section.dataset.status = job.status;
        if (job.status === "done" || job.status === "failed") {
          const bar = document.getElementById("job-progress");
          if (bar) { bar.max = 1; bar.value = 1; }
          showSummary(job);
        } else {
          setTimeout(tick, 700);
        }
      })
      .catch(() => setTimeout(tick, 2000));
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.getElementById("text")) {
    window.addEventListener("hashchange", onHash);
    onHash();
    document.querySelectorAll(".claim-ref").forEach((el) => {
      el.addEventListener("mouseenter", () => markClaim(el.dataset.claim));
    });
  }
  const job = document.getElementById("job");
  if (job && job.dataset.status !== "done" && job.dataset.status !== "failed") pollJob(job);
});
