// Instant search: as a visitor types in the header's search box, up to eight
// questions appear below it. The WAI-ARIA APG combobox with a listbox popup: the
// input keeps focus, arrow keys move aria-activedescendant, Enter opens the
// highlighted question, Escape closes the list (a second Escape clears the box).
// With no suggestion highlighted, Enter submits the form as it does without this
// script: ?s= to the results page.
"use strict";
(() => {
  const DEBOUNCE_MS = 120;
  const MIN_CHARS = 2; // as search_views.MIN_QUERY_CHARS
  const MAX_SHOWN = 8;

  const typedWords = (input) => input.value.trim().replace(/\s+/g, " ");

  function announcement(count) {
    if (count === 0) return "No suggestions. Press Enter to search.";
    const noun = count === 1 ? "suggestion" : "suggestions";
    return `${count} ${noun} available. Use the up and down arrows to choose one, Enter to open it.`;
  }

  function attach(input) {
    const form = input.form;
    const list = document.createElement("ul");
    list.id = `${input.id}-suggestions`;
    list.className = "instant-search__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested questions");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.classList.add("instant-search");
    form.append(list, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    let results = []; // [{title, url}] for the words in `resultsFor`
    let resultsFor = null;
    let active = -1;
    let timer = 0;
    let pending = null; // the AbortController of the request in flight

    function highlight(index) {
      active = index;
      Array.from(list.children).forEach((item, position) => {
        item.setAttribute("aria-selected", String(position === index));
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      const item = list.children[index];
      input.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    }

    function close() {
      highlight(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function cancel() {
      clearTimeout(timer);
      if (pending) pending.abort();
      pending = null;
    }

    function open(index) {
      const entry = results[index];
      if (!entry) return;
      const target = new URL(entry.url, document.baseURI);
      if (target.protocol !== "https:" && target.protocol !== "http:") return;
      cancel();
      close();
      window.location.assign(target.href);
    }

    function option(entry, index) {
      const item = document.createElement("li");
      item.id = `${list.id}-${index}`;
      item.className = "instant-search__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = entry.title;
      // The input keeps focus (no blur, which would close the list before the click).
      item.addEventListener("mousedown", (event) => event.preventDefault());
      item.addEventListener("click", () => open(index));
      return item;
    }

    function show(words, found) {
      results = found.slice(0, MAX_SHOWN);
      resultsFor = words;
      list.replaceChildren(...results.map(option));
      highlight(-1);
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", String(results.length > 0));
      status.textContent = announcement(results.length);
    }

    function ask(words) {
      cancel();
      const controller = new AbortController();
      pending = controller;
      const url = new URL(input.dataset.suggestUrl, document.baseURI);
      url.searchParams.set("s", words);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((body) => {
          if (pending !== controller) return; // a newer request replaced this one
          pending = null;
          if (typedWords(input) === words && document.activeElement === input) show(words, body.results || []);
        })
        .catch((error) => {
          if (error.name !== "AbortError" && pending === controller) pending = null;
        });
    }

    function forget() {
      cancel();
      close();
      results = [];
      resultsFor = null;
      status.textContent = "";
    }

    input.addEventListener("input", () => {
      const words = typedWords(input);
      if (words.length < MIN_CHARS) {
        forget();
        return;
      }
      highlight(-1); // Enter now means the words as typed, not an older suggestion
      clearTimeout(timer);
      timer = setTimeout(() => ask(words), DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const shown = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (shown) highlight(active + 1 < results.length ? active + 1 : 0);
          else if (resultsFor === typedWords(input) && results.length) show(resultsFor, results);
          else if (typedWords(input).length >= MIN_CHARS) ask(typedWords(input));
          break;
        case "ArrowUp":
          if (!shown) return;
          event.preventDefault();
          highlight(active > 0 ? active - 1 : results.length - 1);
          break;
        case "Enter":
          if (shown && active >= 0) {
            event.preventDefault();
            open(active);
          }
          break;
        case "Escape":
          event.preventDefault(); // chromium would clear a search box on the first Escape
          if (shown) close();
          else if (input.value) {
            input.value = "";
            forget();
          }
          break;
        case "ArrowLeft":
        case "ArrowRight":
        case "Home":
        case "End":
          highlight(-1); // the caret moves in the box again
          break;
        default:
      }
    });

    input.addEventListener("blur", close);
    form.addEventListener("submit", () => {
      cancel();
      close();
    });
    // Back to this page from the question: the list is not left open.
    window.addEventListener("pageshow", close);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const input = document.querySelector("input[data-suggest-url]");
    if (input && input.form && "fetch" in window && "AbortController" in window) attach(input);
  });
})();
