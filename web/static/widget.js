/* Mounts rasa-webchat on the page, in French, connected to Rasa's socketio channel.
 * The Rasa server's address comes from /config.js (written by web/serve.py from its --socket-url). */
(function () {
  "use strict";

  var config = window.ASSISTANT_WIDGET_CONFIG || {};

  var settings = {
    socketUrl: config.socketUrl || "http://127.0.0.1:5005",
    socketPath: config.socketPath || "/socket.io/",
    // The first message comes from the bot: its greeting and the topic buttons (intent greet).
    initPayload: "/greet",
    title: "Assistant d'orientation",
    subtitle: "Devenir assistant médical",
    inputTextFieldHint: "Écrivez votre question…",
    connectingText: "Connexion à l'assistant…",
    // Keep the conversation in sessionStorage: it survives a reload, and is gone when the tab is closed.
    params: { storage: "session" },
    // Show the launcher even before the socket connects (with the "connecting" notice in the header).
    hideWhenNotConnected: false,
    showCloseButton: true,
    // rasa-webchat's default waits up to 3 s per message; answers here are several messages.
    customMessageDelay: function (message) {
      return Math.min(900, Math.max(250, message.length * 4));
    },
    // No rasa-webchat "rules" (they hide the widget until a Botfront-specific session answer).
    withRules: false,
    customData: { language: "fr" }
  };

  window.ASSISTANT_WIDGET_SETTINGS = settings;

  if (!window.WebChat || typeof window.WebChat.default !== "function") {
    var mount = document.getElementById("assistant-widget");
    if (mount) {
      mount.className = "widget-missing";
      mount.textContent = "L'assistant n'est pas disponible pour le moment (rasa-webchat n'est pas installé).";
    }
    return;
  }
  window.WebChat.default(settings, document.getElementById("assistant-widget"));
})();
