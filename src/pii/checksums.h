// Check-digit and checksum validators that cut false positives of the PII detectors: Luhn,
// ISO 7064 mod-97 (IBAN), Verhoeff (Aadhaar), ISO 7064 MOD 11,10 (DE tax id), Base58Check and
// Bech32/Bech32m (Bitcoin), and the national-id rules. Inputs are the bare characters (separators
// already removed); every function is pure and returns false on any malformed input.
#pragma once
#include <string_view>

namespace winnow::pii {

// Keeps only the ASCII digits of s, appended to *out (at most max_digits; returns false if more).
bool DigitsOf(std::string_view s, std::string* out, size_t max_digits = 64);

bool LuhnValid(std::string_view digits);
// Card brand from the issuer identification number and length; nullptr when no known brand
// (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir) issues that prefix/length.
const char* CardBrand(std::string_view digits);

// IBAN without spaces, upper case: known country, that country's length, mod-97 == 1.
bool IbanValid(std::string_view iban);
// Expected IBAN length for a two-letter country code, 0 when the country has no IBAN.
int IbanLength(std::string_view country);

bool VerhoeffValid(std::string_view digits);
// US SSN as 9 digits: area not 000, 666 or 900-999; group not 00; serial not 0000; not a
// well-known advertising / sample number.
bool SsnValid(std::string_view digits);
bool NhsValid(std::string_view digits);        // UK NHS number, 10 digits, mod-11
bool NifValid(std::string_view s);             // ES DNI/NIF: 8 digits + control letter
bool NieValid(std::string_view s);             // ES NIE: X/Y/Z + 7 digits + control letter
bool AadhaarValid(std::string_view digits);    // IN Aadhaar: 12 digits, first 2-9, Verhoeff
bool PeselValid(std::string_view digits);      // PL PESEL: 11 digits, valid birth date, weights 1-3-7-9
bool AbnValid(std::string_view digits);        // AU ABN: 11 digits, weighted mod-89
bool TfnValid(std::string_view digits);        // AU TFN: 8 or 9 digits, weighted mod-11
bool SinValid(std::string_view digits);        // CA SIN: 9 digits, Luhn, first digit not 0 or 8
bool DeTaxIdValid(std::string_view digits);    // DE Steuer-IdNr: 11 digits, digit-repeat rule, MOD 11,10

// Bitcoin: legacy Base58Check (P2PKH version 0x00 / P2SH 0x05) and SegWit Bech32 (v0) / Bech32m (v1+).
bool Base58CheckBitcoinValid(std::string_view s);
bool Bech32BitcoinValid(std::string_view s);

}  // namespace winnow::pii
