// Meeting mode: keep what is typed on this device until the server has saved it.
// What is kept is sealed (AES-GCM) with a key only this person's signed-in page is given,
// so the browser's storage never holds the text itself; signing out clears it.
// Loaded after htmx; no inline scripts (CSP) and no eval.
(function () {
  'use strict'
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false
    window.htmx.config.allowEval = false
    window.htmx.config.allowScriptTags = false
  }
  var script = document.currentScript
  var keyMaterial = script && script.getAttribute('data-draft-key')
  var subtle = window.crypto && window.crypto.subtle
  var storage = null
  try { storage = window.localStorage } catch (e) { storage = null }
  // Without a key or the browser's cryptography (a page not served over HTTPS), nothing
  // is kept on the device: the text is saved as it is typed, or stays on the page.
  if (!keyMaterial || !subtle) storage = null

  function bytes (base64) {
    var raw = window.atob(base64)
    var out = new Uint8Array(raw.length)
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i)
    return out
  }
  function base64 (buffer) {
    var view = new Uint8Array(buffer)
    var raw = ''
    for (var i = 0; i < view.length; i++) raw += String.fromCharCode(view[i])
    return window.btoa(raw)
  }

  var key = storage
    ? subtle.importKey('raw', bytes(keyMaterial), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
    : null

  function seal (text) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12))
    return key.then(function (k) {
      return subtle.encrypt({ name: 'AES-GCM', iv: iv }, k, new TextEncoder().encode(text))
    }).then(function (sealed) {
      return JSON.stringify({ v: 1, iv: base64(iv), text: base64(sealed) })
    })
  }
  function unseal (stored) {
    var parsed
    try { parsed = JSON.parse(stored) } catch (e) { parsed = null }
    if (!parsed || parsed.v !== 1) return Promise.reject(new Error('not a sealed draft'))
    return key.then(function (k) {
      return subtle.decrypt({ name: 'AES-GCM', iv: bytes(parsed.iv) }, k, bytes(parsed.text))
    }).then(function (plain) { return new TextDecoder().decode(plain) })
  }

  function draftKey (form) { return 'tac-draft:' + form.getAttribute('data-draft-key') }

  function setStatus (form, text) {
    var status = form.querySelector('.tac-autosave__status')
    if (status && !status.hasAttribute('data-conflict')) status.textContent = text
  }

  // Sealing takes a moment: only the newest typing in each form may be written, and none
  // once the server has confirmed a save that covered it.
  var typed = {}
  document.addEventListener('input', function (event) {
    var form = event.target.closest && event.target.closest('form.tac-autosave')
    if (!form) return
    setStatus(form, 'Not saved yet…')
    if (!storage) return
    var name = draftKey(form)
    var turn = (typed[name] || 0) + 1
    typed[name] = turn
    seal(event.target.value).then(function (sealed) {
      if (typed[name] === turn) storage.setItem(name, sealed)
    })
  })

  // What each save carried, to tell whether typing went on while it was on its way.
  var sent = {}
  document.addEventListener('htmx:beforeRequest', function (event) {
    var form = event.detail.elt
    if (!form || !form.matches || !form.matches('form.tac-autosave')) return
    var area = form.querySelector('textarea')
    if (area) sent[draftKey(form)] = area.value
  })

  document.addEventListener('htmx:afterRequest', function (event) {
    var form = event.detail.elt
    if (!form || !form.matches || !form.matches('form.tac-autosave')) return
    var ok = event.detail.successful && event.detail.xhr.responseText.indexOf('data-conflict') === -1
    if (!event.detail.successful) {
      setStatus(form, storage
        ? 'Not saved: check your connection. Your text is kept on this device.'
        : 'Not saved: check your connection, and keep this page open.')
    }
    if (!ok || !storage) return
    var name = draftKey(form)
    var area = form.querySelector('textarea')
    // Typing since the request left is still unsaved: keep its draft.
    if (area && area.value !== sent[name]) return
    typed[name] = (typed[name] || 0) + 1
    storage.removeItem(name)
  })

  // Text typed here but never saved (the laptop closed, the connection dropped):
  // put it back and save it now, once htmx has wired up the forms. A draft this person's
  // key cannot open (someone else's, or from before a password change) is dropped.
  function restoreDrafts () {
    if (!storage) return
    document.querySelectorAll('form.tac-autosave').forEach(function (form) {
      var name = draftKey(form)
      var stored = storage.getItem(name)
      var area = form.querySelector('textarea')
      if (stored === null || !area) return
      unseal(stored).then(function (draft) {
        if (draft === area.value) { storage.removeItem(name); return }
        area.value = draft
        setStatus(form, 'Restored text typed on this device that had not been saved. Saving…')
        if (window.htmx) window.htmx.trigger(form, 'submit')
      }, function () { storage.removeItem(name) })
    })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { window.setTimeout(restoreDrafts, 0) })
  } else {
    window.setTimeout(restoreDrafts, 0)
  }
})()
