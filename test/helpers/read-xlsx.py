#!/usr/bin/env python3
"""An independent .xlsx reader for the tests (Python's zipfile and ElementTree only): prints JSON
{"sheets": [{"name", "frozen_rows", "widths", "rows": [[cell, ...], ...], "formats": {"B2": "0.000"}}]}
where a cell is a number, a string or null. Usage: python3 read-xlsx.py <file.xlsx>"""
import json, re, sys, zipfile
import xml.etree.ElementTree as ET

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
      'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
      'p': 'http://schemas.openxmlformats.org/package/2006/relationships'}

def col_index(ref):
    letters = re.match(r'[A-Z]+', ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1

def text_of(el):
    return ''.join(t.text or '' for t in el.iter('{%s}t' % NS['m']))

z = zipfile.ZipFile(sys.argv[1])
strings = []
if 'xl/sharedStrings.xml' in z.namelist():
    strings = [text_of(si) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS)]
formats = {}
styles = []
if 'xl/styles.xml' in z.namelist():
    st = ET.fromstring(z.read('xl/styles.xml'))
    for f in st.findall('m:numFmts/m:numFmt', NS):
        formats[f.get('numFmtId')] = f.get('formatCode')
    styles = [formats.get(x.get('numFmtId'), x.get('numFmtId')) for x in st.findall('m:cellXfs/m:xf', NS)]
wb = ET.fromstring(z.read('xl/workbook.xml'))
rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels')).findall('p:Relationship', NS)}
out = []
for s in wb.findall('m:sheets/m:sheet', NS):
    target = rels[s.get('{%s}id' % NS['r'])].lstrip('/')
    path = target if target.startswith('xl/') else 'xl/' + target
    ws = ET.fromstring(z.read(path))
    pane = ws.find('m:sheetViews/m:sheetView/m:pane', NS)
    frozen = int(float(pane.get('ySplit'))) if pane is not None and pane.get('state') == 'frozen' else 0
    widths = [float(c.get('width')) for c in ws.findall('m:cols/m:col', NS)]
    rows, fmts = [], {}
    for row in ws.findall('m:sheetData/m:row', NS):
        r = int(row.get('r'))
        while len(rows) < r:
            rows.append([])
        cells = rows[r - 1]
        for c in row.findall('m:c', NS):
            ref, t = c.get('r'), c.get('t')
            i = col_index(ref)
            while len(cells) <= i:
                cells.append(None)
            v = c.find('m:v', NS)
            if t == 's':
                cells[i] = strings[int(v.text)]
            elif t == 'inlineStr':
                cells[i] = text_of(c.find('m:is', NS))
            elif t in ('str', 'e'):
                cells[i] = v.text if v is not None else ''
            elif t == 'b':
                cells[i] = v.text == '1'
            elif v is not None:
                x = float(v.text)
                cells[i] = int(x) if x.is_integer() and 'E' not in v.text.upper() and '.' not in v.text else x
            s_ = c.get('s')
            if s_ is not None and styles and int(s_) < len(styles) and styles[int(s_)] not in (None, '0'):
                fmts[ref] = styles[int(s_)]
    out.append({'name': s.get('name'), 'frozen_rows': frozen, 'widths': widths, 'rows': rows, 'formats': fmts})
print(json.dumps({'sheets': out}))
