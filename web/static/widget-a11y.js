/* Fixes around rasa-webchat 1.0.1 (the widget itself is used as published on npm, not forked):
 *  - accessible names in French for the launcher, the input, the send and close buttons;
 *  - quick replies (rendered as <div>s) become focusable buttons, usable with Enter and Space;
 *  - opening the conversation puts the focus in the input, also when the input is still disabled
 *    because the socket is connecting: the focus goes there as soon as it is enabled, unless the
 *    visitor has moved it meanwhile;
 *  - Escape closes the conversation and gives the focus back to the launcher;
 *  - new bot messages are copied into the page's ARIA live region (#assistant-annonces);
 *  - bare URLs in bot messages become links opening in a new tab (rel="noopener noreferrer"),
 *    and a link with another scheme than http(s)/mailto loses its href;
 *  - a "Nouvelle conversation" button in the widget's header starts a new session.
 * Everything is done on the DOM that rasa-webchat renders, through a MutationObserver. */
(function () {
  "use strict";

  var TEXT = {
    launcherOpen: "Ouvrir la conversation avec l'assistant d'orientation",
    launcherClose: "Fermer la conversation avec l'assistant d'orientation",
    closeButton: "Fermer la conversation",
    input: "Votre message à l'assistant",
    send: "Envoyer le message",
    conversation: "Conversation avec l'assistant d'orientation",
    messages: "Messages de la conversation",
    replies: "Réponses proposées",
    newConversation: "Nouvelle conversation",
    newConversationLabel: "Commencer une nouvelle conversation (l'historique sera effacé)",
    botSays: "L'assistant : ",
    choices: "Choix proposés : "
  };
  var SESSION_KEY = "chat_session"; // rasa-webchat's storage key
  var REOPEN_KEY = "assistant-reopen-after-reset";
  var LIVE_ID = "assistant-annonces";
  var MAX_ANNOUNCEMENTS = 6;
  var URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
  var SAFE_SCHEMES = /^(https?:|mailto:)/i;

  var knownMessages = new WeakSet();
  var knownReplies = new WeakSet();
  var messagesContainer = null;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function setAttr(element, name, value) {
    if (element && element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function isOpen() { return !!$(".rw-conversation-container"); }

  // --- accessible names and roles -------------------------------------------------------------
  function labelWidget() {
    var open = isOpen();
    $all(".rw-launcher").forEach(function (launcher) {
      setAttr(launcher, "aria-label", open ? TEXT.launcherClose : TEXT.launcherOpen);
      setAttr(launcher, "aria-expanded", open ? "true" : "false");
      setAttr(launcher, "title", open ? TEXT.launcherClose : TEXT.launcherOpen);
    });
    $all(".rw-launcher img, .rw-close-button img, .rw-send svg, .rw-send img").forEach(function (img) {
      setAttr(img, "aria-hidden", "true");
      if (img.tagName === "IMG") setAttr(img, "alt", "");
    });
    $all(".rw-close-button").forEach(function (button) {
      setAttr(button, "aria-label", TEXT.closeButton);
      setAttr(button, "type", "button");
    });
    $all(".rw-new-message").forEach(function (input) { setAttr(input, "aria-label", TEXT.input); });
    $all(".rw-send").forEach(function (button) { setAttr(button, "aria-label", TEXT.send); });
    $all(".rw-conversation-container").forEach(function (container) {
      setAttr(container, "role", "region");
      setAttr(container, "aria-label", TEXT.conversation);
    });
    $all(".rw-messages-container").forEach(function (list) {
      // Scrollable history: reachable with Tab so that it can be scrolled with the arrow keys.
      setAttr(list, "tabindex", "0");
      setAttr(list, "aria-label", TEXT.messages);
    });
    $all(".rw-replies").forEach(function (group) {
      setAttr(group, "role", "group");
      setAttr(group, "aria-label", TEXT.replies);
    });
    $all(".rw-reply").forEach(function (reply) {
      setAttr(reply, "role", "button");
      setAttr(reply, "tabindex", "0");
    });
    $all(".rw-header-buttons").forEach(addNewConversationButton);
  }

  // --- links in bot messages ------------------------------------------------------------------
  function secureLink(link) {
    var href = link.getAttribute("href") || "";
    if (href && !SAFE_SCHEMES.test(href)) {
      link.removeAttribute("href");
      return;
    }
    if (/^https?:/i.test(href)) {
      setAttr(link, "target", "_blank");
      setAttr(link, "rel", "noopener noreferrer");
      if (!link.getAttribute("title")) link.setAttribute("title", "Ouvre un nouvel onglet");
    }
  }

  function linkifyTextNode(node) {
    var text = node.nodeValue;
    URL_PATTERN.lastIndex = 0;
    if (!URL_PATTERN.test(text)) return;
    URL_PATTERN.lastIndex = 0;
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?)\]]+$/, "");
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = document.createElement("a");
      link.href = url;
      link.textContent = url;
      secureLink(link);
      fragment.appendChild(link);
      last = match.index + url.length;
      URL_PATTERN.lastIndex = last;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    // Wrap rather than replace the text node, so that the node React rendered stays in place.
    var wrapper = document.createElement("span");
    wrapper.className = "assistant-linkified";
    wrapper.appendChild(fragment);
    node.nodeValue = "";
    node.parentNode.insertBefore(wrapper, node.nextSibling);
  }

  function linkify(root) {
    $all("a", root).forEach(secureLink);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        for (var parent = node.parentNode; parent && parent !== root; parent = parent.parentNode) {
          if (parent.tagName === "A" || parent.classList.contains("assistant-linkified")) return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(linkifyTextNode);
  }

  // --- announcements --------------------------------------------------------------------------
  function announce(text) {
    var region = document.getElementById(LIVE_ID);
    if (!region || !text) return;
    var line = document.createElement("p");
    line.textContent = text;
    region.appendChild(line);
    while (region.childNodes.length > MAX_ANNOUNCEMENTS) region.removeChild(region.firstChild);
  }

  function processMessages() {
    var container = $(".rw-messages-container");
    // History shown when the conversation opens (or after a reload) is not read out again.
    var restoring = container !== messagesContainer;
    messagesContainer = container;
    $all(".rw-response").forEach(function (message) {
      linkify(message);
      if (knownMessages.has(message)) return;
      var text = (message.innerText || message.textContent || "").trim();
      if (!text) return; // typing indicator, or not rendered yet
      knownMessages.add(message);
      if (!restoring && container && container.contains(message)) announce(TEXT.botSays + text);
    });
    $all(".rw-replies").forEach(function (group) {
      if (knownReplies.has(group)) return;
      knownReplies.add(group);
      if (!restoring && container && container.contains(group)) {
        var titles = $all(".rw-reply", group).map(function (reply) { return reply.textContent.trim(); });
        if (titles.length) announce(TEXT.choices + titles.join(", ") + ".");
      }
    });
  }

  // --- new conversation -----------------------------------------------------------------------
  function addNewConversationButton(header) {
    if ($(".assistant-new-conversation", header)) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "assistant-new-conversation";
    button.textContent = TEXT.newConversation;
    button.setAttribute("aria-label", TEXT.newConversationLabel);
    button.title = TEXT.newConversationLabel;
    button.addEventListener("click", startNewConversation);
    header.insertBefore(button, header.firstChild);
  }

  function startNewConversation() {
    try {
      window.sessionStorage.removeItem(SESSION_KEY);
      window.localStorage.removeItem(SESSION_KEY);
      window.sessionStorage.setItem(REOPEN_KEY, "1");
    } catch (error) { /* storage disabled: the reload still starts a new socket session */ }
    window.location.reload();
  }

  function reopenAfterReset() {
    var wanted = false;
    try {
      wanted = window.sessionStorage.getItem(REOPEN_KEY) === "1";
    } catch (error) { return; }
    if (!wanted) return;
    var launcher = $(".rw-launcher");
    if (!launcher) return;
    window.sessionStorage.removeItem(REOPEN_KEY);
    if (!isOpen()) launcher.click();
    focusInput();
  }

  // --- keyboard -------------------------------------------------------------------------------
  // The input is disabled until the socket is connected (rasa-webchat's CONNECT), and a disabled input
  // cannot take the focus. So the wish to focus it is remembered, and fulfilled as soon as the input is
  // enabled (the MutationObserver watches its `disabled` attribute), unless the visitor has put the focus
  // elsewhere in the meantime (`focusOrigin` is where the focus was when it was asked for).
  var focusWanted = false;
  var focusOrigin = null;

  function focusInput() {
    focusWanted = true;
    focusOrigin = document.activeElement;
    window.setTimeout(focusInputWhenUsable, 0);
  }

  function cancelFocusInput() {
    focusWanted = false;
    focusOrigin = null;
  }

  function focusStayedPut(active, input) {
    return !active || active === document.body || active === document.documentElement || active === input ||
      active === focusOrigin || !!(active.closest && active.closest(".rw-launcher"));
  }

  function focusInputWhenUsable() {
    if (!focusWanted) return;
    if (!isOpen()) { cancelFocusInput(); return; }
    var input = $(".rw-new-message");
    if (!input || input.disabled) return; // called again when the input changes
    var active = document.activeElement;
    var stayed = focusStayedPut(active, input);
    cancelFocusInput();
    if (stayed && active !== input) input.focus();
  }

  // The visitor moving the focus (keyboard or pointer) while the input is disabled cancels the wish.
  document.addEventListener("focusin", function (event) {
    if (!focusWanted) return;
    var input = $(".rw-new-message");
    if (!focusStayedPut(event.target, input)) cancelFocusInput();
  });
  document.addEventListener("pointerdown", function (event) {
    if (!focusWanted) return;
    var target = event.target;
    if (!(target && target.closest && (target.closest(".rw-launcher") || target.closest(".rw-new-message")))) {
      cancelFocusInput();
    }
  });

  function focusLauncher() {
    window.setTimeout(function () {
      var launcher = $(".rw-launcher");
      if (launcher) launcher.focus();
    }, 0);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("rw-reply") &&
        (event.key === "Enter" || event.key === " " || event.key === "Spacebar")) {
      event.preventDefault();
      target.click();
      focusInput();
      return;
    }
    if (event.key === "Escape" && isOpen()) {
      var widget = $(".rw-widget-container");
      if (widget && (widget.contains(document.activeElement) || document.activeElement === document.body)) {
        event.preventDefault();
        var launcher = $(".rw-launcher");
        if (launcher) launcher.click();
        focusLauncher();
      }
    }
  });

  document.addEventListener("click", function (event) {
    // Opening with the launcher (mouse or keyboard): put the focus in the input.
    // The socket may still be connecting (input disabled): the focus goes there once it is enabled.
    var launcher = event.target && event.target.closest && event.target.closest(".rw-launcher");
    if (launcher) {
      window.setTimeout(function () {
        if (isOpen()) focusInput();
        else cancelFocusInput();
      }, 50);
    }
  });

  // --- wiring ---------------------------------------------------------------------------------
  var scheduled = false;
  function update() {
    scheduled = false;
    labelWidget();
    processMessages();
    reopenAfterReset();
    focusInputWhenUsable();
  }

  var observer = new MutationObserver(function () {
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(update, 30);
    }
  });

  function start() {
    // `disabled`: the input is enabled when the socket connects (see focusInputWhenUsable).
    observer.observe(document.body, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["disabled"]
    });
    update();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
