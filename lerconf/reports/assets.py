"""The inline stylesheet and script of report.html.

They live here, not in files fetched at view time, because the report must open offline, from
an e-mail attachment or a CI artefact, and its Content-Security-Policy allows exactly these two
blocks (by hash) and nothing from the network. The script only shows and hides rows: it never
builds HTML from data, so it cannot turn report content into markup.
"""
from __future__ import annotations

import base64
import hashlib

CSS = """
:root{--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--muted:#6b7280;--line:#d0d7de;--bg:#f6f8fa;--ink:#1f2328}
*{box-sizing:border-box}
[id]{scroll-margin-top:4rem}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0;padding:0 1.5rem 3rem;max-width:1400px}
h1{font-size:1.6rem;margin:1.2rem 0 .2rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}h4{margin:.8rem 0 .3rem;font-size:.95rem}
.sub{color:var(--muted);margin:0 0 1rem}
nav.toc a{margin-right:1rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;width:100%}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.mark{font-weight:600;white-space:nowrap}
.st-passed{color:var(--ok)}.st-failed{color:var(--bad)}.st-broken{color:var(--warn)}.st-skipped,.st-none{color:var(--muted)}
td.st-passed{background:#e9f7ee}td.st-failed{background:#fdecec}td.st-broken{background:#fff4e0}
.verdict{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-weight:600;font-size:.85rem;border:1px solid currentColor}
.v-conformant{color:var(--ok)}.v-not-conformant{color:var(--bad)}.v-incomplete,.v-conformant-with-warnings{color:var(--warn)}
.v-not-claimed,.v-not-tested{color:var(--muted)}
.banner{padding:.6rem 1rem;border-radius:.4rem;margin:.8rem 0;border:1px solid var(--line);background:var(--bg)}
.banner.bad{border-color:var(--bad);background:#fdecec}.banner.ok{border-color:var(--ok);background:#e9f7ee}.banner.warn{border-color:var(--warn);background:#fff4e0}
.cards{display:flex;flex-wrap:wrap;gap:1rem}.card{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .9rem;flex:1 1 560px}
.card h3{margin-top:.2rem}
.tag{display:inline-block;font-size:.75rem;padding:0 .35rem;border-radius:.3rem;background:var(--bg);border:1px solid var(--line);margin-right:.2rem}
.v-draft-only,.b-draft{color:#7a4b00;background:#fff4d6;border-color:#b57700}
.v-attested,.b-attested{color:#3d2a7a;background:#efeaff;border-color:#6a4fc2}
.b-new{background:#fdecec;border-color:var(--bad);color:var(--bad)}.b-fixed{background:#e9f7ee;border-color:var(--ok);color:var(--ok)}.b-known{color:var(--muted)}
.risk{color:var(--bad);font-weight:600}
pre{background:var(--bg);border:1px solid var(--line);padding:.5rem;overflow:auto;max-height:32rem;font-size:.8rem;white-space:pre-wrap;word-break:break-word}
code{font-size:.85em;word-break:break-word}
details{margin:.2rem 0}summary{cursor:pointer}
.filters{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:.5rem 0;z-index:2;display:flex;flex-wrap:wrap;gap:.8rem;align-items:center}
.filters label{font-size:.85rem}.filters select{margin-left:.3rem}
.legend dt{font-weight:600;float:left;clear:left;width:14rem}.legend dd{margin:0 0 .3rem 14.5rem}
.matrix td,.matrix th{text-align:center}.matrix th[scope=row]{text-align:left}
.muted{color:var(--muted)}.small{font-size:.85rem}
svg.bar{vertical-align:middle}
tr.ev-row>td{border-top:none;padding:.1rem .5rem .3rem 1.5rem;background:#fcfcfd}
.es{border:2px solid var(--line);border-radius:.5rem;padding:.2rem 1rem .6rem;margin:1rem 0}
.es h2{margin-top:.6rem}.es h3{margin:.8rem 0 .3rem}
.es-head{font-weight:700;font-size:1.05rem;margin:.4rem 0}.es-head.bad{color:var(--bad)}.es-head.ok{color:var(--ok)}.es-head.warn{color:var(--warn)}
.es-grid th[scope=col]{text-align:center}.es-cell{text-align:center}.es-cell .small{color:var(--ink)}
td.st-skipped,td.st-none{background:#f3f4f6}.es-rates th,.es-rates td{background:#fff}
.es-fail{margin:.2rem 0;padding-left:1.4rem}.es-fail li{margin:.15rem 0}
.es-scope th{width:7rem}.es-scope td,.es-scope th{padding:.15rem .4rem}
@page{margin:12mm}
@media print{
 .filters,.noprint{display:none!important}
 body{padding:0;max-width:none;font-size:11px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 h1{margin-top:0}
 h2{break-after:avoid}h3,h4{break-after:avoid}tr,.card{break-inside:avoid}
 thead{display:table-header-group}
 details:not([open])>:not(summary){display:none}
 pre{max-height:none;overflow:visible}
 a{color:inherit;text-decoration:none}
 .es{border:none;padding:0;margin:0;font-size:10px;break-after:page}
 .es .small,.es table{font-size:.95em}
 .es h2{margin-top:.2rem}.es-head{font-size:12px}.es table{margin:.2rem 0 .5rem}
 .es th,.es td{padding:.15rem .3rem}
 #scorecard,#requirements,#environment{break-before:page}
}
"""

JS = """
(function(){
 'use strict';
 var selects=Array.prototype.slice.call(document.querySelectorAll('.filters select'));
 function tokens(el,name){var v=el.getAttribute('data-'+name);return v===null?null:v.split(' ');}
 function apply(){
  var want={};selects.forEach(function(s){if(s.value){want[s.name]=s.value;}});
  var rows=document.querySelectorAll('[data-filter]');var shown=0;
  Array.prototype.forEach.call(rows,function(row){
   var ok=Object.keys(want).every(function(k){var t=tokens(row,k);return t===null||t.indexOf(want[k])>=0;});
   row.hidden=!ok;if(ok){shown++;}
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-follow]'),function(f){
   var lead=f.previousElementSibling;f.hidden=!!(lead&&lead.hidden);
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-group]'),function(g){
   g.hidden=g.querySelectorAll('[data-filter]:not([hidden])').length===0;
  });
  var out=document.getElementById('filter-count');
  if(out){out.textContent=Object.keys(want).length?shown+' of '+rows.length+' rows shown':'';}
 }
 selects.forEach(function(s){s.addEventListener('change',apply);});
 function openAll(open){Array.prototype.forEach.call(document.querySelectorAll('details.ev'),function(d){d.open=open;});}
 var ex=document.getElementById('expand-all');if(ex){ex.addEventListener('click',function(){openAll(true);});}
 var co=document.getElementById('collapse-all');if(co){co.addEventListener('click',function(){openAll(false);});}
 var reset=document.getElementById('reset-filters');
 if(reset){reset.addEventListener('click',function(){selects.forEach(function(s){s.value='';});apply();});}
 function reveal(){
  var t=location.hash?document.getElementById(location.hash.slice(1)):null;if(!t){return;}
  var next=t.nextElementSibling,d=t.tagName==='DETAILS'?t:t.querySelector('details.ev');
  if(!d&&next&&next.hasAttribute('data-follow')){d=next.querySelector('details.ev');}
  if(d){d.open=true;}
 }
 window.addEventListener('hashchange',reveal);reveal();
 apply();
})();
"""


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline block."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def content_security_policy() -> str:
    """Nothing from anywhere: no fetch, no image, no font, no frame; only our own two blocks."""
    return (f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(JS)}; "
            "img-src data:; form-action 'none'; base-uri 'none'")
