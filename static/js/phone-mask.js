// Phone inputs with a country's mask (data-phone-mask, "+7 (___) ___-__-__") are written
// in it as the user types; the server reads any written form, so without this script
// the field still works. A number with another country's code is left as typed.
(function () {
  "use strict";
  // Persian and Arabic-Indic digits, as a Persian keyboard types them.
  function asciiDigits(text) {
    return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, function (digit) {
      var code = digit.charCodeAt(0);
      return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
    });
  }

  // `typing`: a number begun shows its country code ("+7"); on leaving, it is cleared.
  function format(value, mask, trunk, typing) {
    var text = asciiDigits(value);
    var digits = text.replace(/\D/g, "");
    var country = mask.slice(0, mask.indexOf("_")).replace(/\D/g, "");
    var slots = mask.split("_").length - 1;
    if (!digits) { return typing ? text : ""; }
    if (typing && country.indexOf(digits) === 0 && digits !== country) {
      return text;  // "9": maybe the start of "90"; the next digit tells
    }
    if (text.trim().charAt(0) === "+") {
      if (digits.indexOf(country) !== 0) { return text; }  // another country's number
      digits = digits.slice(country.length);
    } else if (trunk && digits.indexOf(trunk) === 0) {
      digits = digits.slice(trunk.length);  // "8 912 ..." dialled at home
    } else if (digits === country || (digits.indexOf(country) === 0 && digits.length > slots)) {
      digits = digits.slice(country.length);  // "7912 ..." with the code, no plus
    }
    if (digits.length > slots) { return text; }  // not one of ours: the server says so
    var out = "";
    var used = 0;
    for (var i = 0; i < mask.length && used < digits.length; i++) {
      if (mask.charAt(i) === "_") {
        out += digits.charAt(used);
        used += 1;
      } else {
        out += mask.charAt(i);
      }
    }
    if (used) { return out; }
    return typing ? mask.slice(0, mask.indexOf("_")).trim() : "";
  }

  function apply(input, typing) {
    var formatted = format(
      input.value, input.dataset.phoneMask, input.dataset.phoneTrunk, typing
    );
    if (formatted !== input.value) { input.value = formatted; }
  }

  document.querySelectorAll("input[data-phone-mask]").forEach(function (input) {
    input.addEventListener("input", function (event) {
      // Deleting, or typing in the middle: let the user edit; it is written on leaving.
      var atEnd = input.selectionStart === input.value.length;
      if (atEnd && !(event.inputType || "").startsWith("delete")) { apply(input, true); }
    });
    input.addEventListener("change", function () { apply(input, false); });
  });
})();
