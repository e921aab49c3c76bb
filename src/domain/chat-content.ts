/**
 * Whether a chat message says something to classify, or only opens or keeps up the conversation
 * ("halo min", "selamat siang bapak/ibu", "p", 🙏🙏🙏, "mau tanya"). Chat conversations start with such
 * messages; a ticket starts once content follows. One pass over the text (a Unicode word regex), no
 * backtracking: linear in the length of untrusted text.
 */

/** Greetings, forms of address, courtesy and filler as citizens type them in chat (lower case, no punctuation). */
const SMALL_TALK = new Set(
  [
    // greetings, in Indonesian, Arabic loan forms and the languages of Dairi (Batak Toba, Pakpak, Karo)
    'p pp ping halo hallo haloo hai hay hi hii hello helo hola hy oi woi',
    'selamat slmt met pagi siang sore malam mlm pgi',
    'assalamualaikum assalamu alaikum asalamualaikum wassalamualaikum salam ww wr wb warahmatullahi wabarakatuh',
    'horas mejuah juah njuah shalom syalom om swastiastu namo buddhaya',
    // address
    'min admin mimin kak ka kakak bang abang pak bapak bpk bu ibu om tante dek adik gan sis bro mas mbak',
    'petugas disdukcapil dukcapil capil dinas sobat',
    // courtesy and filler
    'permisi maaf mengganggu ganggu mohon tolong terima kasih banyak makasih trims tks thx thanks thank you tq ty eh',
    'mau ingin nanya tanya bertanya tny numpang izin ijin boleh bisa minta bantu dibantu bantuan bantuannya info',
    'ya yaa iya iy ok oke okay okey sip siap baik baiklah noted',
    'dong donk deh sih nih ya kah kh lah nya yg yang saya sy aku ada apa',
    'test tes testing cek',
  ]
    .join(' ')
    .split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

export function hasChatContent(text: string): boolean {
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    // A number of some length (a NIK, a registration number, a date) is content; a lone digit is not.
    if (/^\d+$/.test(word)) {
      if (word.length >= 4) return true;
      continue;
    }
    if (!SMALL_TALK.has(word) && !isStretched(word)) return true;
  }
  return false;
}

/** "halooo", "pagiii", "kaaak": a small-talk word with letters repeated for warmth. */
function isStretched(word: string): boolean {
  if (word.length > 40) return false;
  const squeezed = word.replace(/(.)\1+/g, '$1');
  return squeezed !== word && SMALL_TALK.has(squeezed);
}
