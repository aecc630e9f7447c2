import { useI18n } from '../lib/i18n.tsx';
import classes from './skip-link.module.css';

/** The first tab stop: lets a keyboard user jump over the navigation to the element with id `main`. */
export function SkipLink() {
  const { t } = useI18n();
  return (
    <a className={classes.link} href="#main">
      {t('shell.skipToContent')}
    </a>
  );
}
